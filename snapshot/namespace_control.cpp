#include "snapshot/namespace_control.h"

#include "common/geni_error.h"

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <nftables/libnftables.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <future>
#include <mutex>
#include <net/if.h>
#include <sched.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace federa::snapshot {
namespace {

[[noreturn]] void fail(const std::string& what) { throw GeniError(GeniCode::kServerError, what); }

// libnftables keeps one interface cache per process, filled from the namespace of the thread
// that first needs it and dropped only when a context is freed. So each transaction gets a
// fresh context, made and freed on the namespace's thread, one transaction at a time.
std::mutex nftables_mutex;

struct LinkCounters {
  std::uint64_t tx_packets = 0, tx_dropped = 0;
  bool found = false;
};

int link_attribute(const nlattr* attr, void* data) {
  auto* counters = static_cast<LinkCounters*>(data);
  if (mnl_attr_get_type(attr) == IFLA_STATS64 && mnl_attr_get_payload_len(attr) >= sizeof(rtnl_link_stats64)) {
    rtnl_link_stats64 stats;
    std::memcpy(&stats, mnl_attr_get_payload(attr), sizeof stats);
    counters->tx_packets = stats.tx_packets;
    counters->tx_dropped = stats.tx_dropped;
    counters->found = true;
  }
  return MNL_CB_OK;
}

int link_reply(const nlmsghdr* message, void* data) {
  return mnl_attr_parse(message, sizeof(ifinfomsg), link_attribute, data);
}

}  // namespace

// Lives on the namespace's thread: the nftables context and the rtnetlink socket were made
// there, so they act in that namespace.
struct NamespaceControl::State {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::function<void()>> work;
  bool stopping = false;
  mnl_socket* rtnl = nullptr;
  unsigned sequence = 0;
  std::thread thread;

  // Sends one request and hands every reply to `callback` until the answer ends (a dump's
  // NLMSG_DONE, or the acknowledgement the request asked for); false on an error.
  bool query(nlmsghdr* request, mnl_cb_t callback, void* data) {
    request->nlmsg_seq = ++sequence;
    if (mnl_socket_sendto(rtnl, request, request->nlmsg_len) < 0) return false;
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    const unsigned port = mnl_socket_get_portid(rtnl);
    while (true) {
      const ssize_t n = mnl_socket_recvfrom(rtnl, buffer.data(), buffer.size());
      if (n <= 0) return false;
      const int result = mnl_cb_run(buffer.data(), static_cast<std::size_t>(n), sequence, port, callback, data);
      if (result <= MNL_CB_STOP) return result == MNL_CB_STOP;
    }
  }
};

NamespaceControl::NamespaceControl(const std::string& netns) : netns_(netns), state_(std::make_unique<State>()) {
  std::promise<void> ready;
  auto started = ready.get_future();
  state_->thread = std::thread([this, &ready] {
    State& s = *state_;
    try {
      if (!netns_.empty()) {
        const int ns = ::open(("/run/netns/" + netns_).c_str(), O_RDONLY | O_CLOEXEC);
        const bool entered = ns >= 0 && setns(ns, CLONE_NEWNET) == 0;
        if (ns >= 0) ::close(ns);
        if (!entered) fail("cannot enter network namespace " + netns_);
      }
      s.rtnl = mnl_socket_open(NETLINK_ROUTE);
      if (!s.rtnl || mnl_socket_bind(s.rtnl, 0, MNL_SOCKET_AUTOPID) < 0) {
        fail("cannot open rtnetlink in namespace " + netns_);
      }
      ready.set_value();
    } catch (...) {
      ready.set_exception(std::current_exception());
      return;
    }
    std::unique_lock lock(s.mutex);
    while (true) {
      s.changed.wait(lock, [&] { return s.stopping || !s.work.empty(); });
      if (s.work.empty()) return;
      auto next = std::move(s.work.front());
      s.work.pop_front();
      lock.unlock();
      next();
      lock.lock();
    }
  });
  try {
    started.get();
  } catch (...) {
    state_->thread.join();
    throw;
  }
}

NamespaceControl::~NamespaceControl() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->changed.notify_all();
  state_->thread.join();
  if (state_->rtnl) mnl_socket_close(state_->rtnl);
}

void NamespaceControl::run(const std::function<void(State&)>& work) {
  std::promise<void> done;
  auto finished = done.get_future();
  {
    std::lock_guard lock(state_->mutex);
    state_->work.emplace_back([&] {
      try {
        work(*state_);
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
  }
  state_->changed.notify_all();
  finished.get();
}

std::string NamespaceControl::nft(const std::string& script) {
  std::string output;
  run([&](State&) {
    std::lock_guard lock(nftables_mutex);
    std::unique_ptr<nft_ctx, decltype(&nft_ctx_free)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
    if (!ctx) fail("cannot open nftables in namespace " + netns_);
    nft_ctx_buffer_output(ctx.get());
    nft_ctx_buffer_error(ctx.get());
    if (nft_run_cmd_from_buffer(ctx.get(), script.c_str()) != 0) {
      const char* why = nft_ctx_get_error_buffer(ctx.get());
      fail("nftables refused a snapshot rule in namespace " + netns_ + ": " + (why ? why : "no message"));
    }
    const char* printed = nft_ctx_get_output_buffer(ctx.get());
    output = printed ? printed : "";
  });
  return output;
}

std::uint64_t NamespaceControl::frames_gone(const std::string& device) {
  std::uint64_t gone = 0;
  run([&](State& s) {
    const unsigned ifindex = if_nametoindex(device.c_str());
    if (ifindex == 0) fail("device " + device + " is gone from namespace " + netns_);
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* request = mnl_nlmsg_put_header(buffer.data());
    request->nlmsg_type = RTM_GETLINK;
    request->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;  // the acknowledgement ends the answer
    auto* link = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(request, sizeof(ifinfomsg)));
    link->ifi_family = AF_UNSPEC;
    link->ifi_index = static_cast<int>(ifindex);
    LinkCounters counters;
    if (!s.query(request, link_reply, &counters) || !counters.found) fail("cannot read the counters of " + device);
    gone = counters.tx_packets + counters.tx_dropped;
  });
  return gone;
}

}  // namespace federa::snapshot
