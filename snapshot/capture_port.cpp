#include "snapshot/capture_port.h"

#include "snapshot/packet_socket.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"

#include "common/log.h"

#include <regex>

namespace federa::snapshot {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(20);

}  // namespace

std::string snapshot_table(const std::string& tag, const std::string& netns) {
  return "fd_" + federation::short_hash({"snapshot", tag, netns});
}

std::string remove_snapshot_table(const std::string& tag, const std::string& netns) {
  const std::string table = snapshot_table(tag, netns);
  const std::string tables = federation::run_nft(netns, {"list", "tables", "netdev"});
  if (tables.find("table netdev " + table + "\n") == std::string::npos) return {};
  const std::string listing = federation::run_nft(netns, {"list", "table", "netdev", table});
  federation::run_nft(netns, {"delete", "table", "netdev", table});
  return listing;
}

std::map<std::string, std::uint64_t> named_counters(const std::string& listing) {
  static const std::regex kCounter(R"(counter (\w+) \{\s*packets ([0-9]+))");
  std::map<std::string, std::uint64_t> counted;
  for (std::sregex_iterator it(listing.begin(), listing.end(), kCounter), end; it != end; ++it) {
    counted[(*it)[1]] = std::stoull((*it)[2]);
  }
  return counted;
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

CapturePort::CapturePort(const std::string& tag, const std::string& netns, const std::string& device,
                         const std::string& role, std::function<void()> first_frame)
    : netns_(netns),
      dup_(federation::device_name(federation::DeviceKind::kCapture, tag, device, role + "/dup")),
      rec_(federation::device_name(federation::DeviceKind::kCapture, tag, device, role + "/rec")),
      first_frame_(std::move(first_frame)) {
  federation::run_checked(federation::ip_command(netns_, {"-batch", "-"}),
                          "link add " + dup_ + " mtu 65000 type veth peer name " + rec_ + " mtu 65000\n" +
                              "link set " + dup_ + " addrgenmode none\nlink set " + rec_ + " addrgenmode none\n" +
                              "link set " + dup_ + " up\nlink set " + rec_ + " up\n");
  try {
    socket_ = std::make_unique<PacketSocket>(netns_, rec_);
  } catch (...) {
    federation::delete_links(netns_, {dup_});
    throw;
  }
  reader_ = std::thread([this] { read_until_stopped(); });
}

CapturePort::~CapturePort() {
  stop();
  socket_.reset();
  federation::delete_links(netns_, {dup_});
}

void CapturePort::read_until_stopped() {
  while (true) {
    const bool last_pass = stopping_.load();
    if (last_pass && expected_ && frames_.size() >= *expected_) return;
    if (auto frame = socket_->receive(last_pass ? quiet_ : kPoll)) {
      frames_.push_back({now_us(), std::move(*frame)});
      if (frames_.size() == 1 && first_frame_) first_frame_();
    } else if (last_pass) {
      return;
    }
  }
}

std::vector<Frame> CapturePort::stop(std::chrono::milliseconds quiet, std::optional<std::size_t> expected) {
  if (!reader_.joinable()) return {};
  quiet_ = quiet;
  expected_ = expected;
  stopping_ = true;
  reader_.join();
  if (expected && frames_.size() < *expected) {
    logger("snapshot")->warn("event=capture_short device={} expected={} got={}", rec_, *expected, frames_.size());
  }
  return std::move(frames_);
}

}  // namespace federa::snapshot
