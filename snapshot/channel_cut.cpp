#include "snapshot/channel_cut.h"

#include "snapshot/packet_socket.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"

#include "common/log.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <regex>

namespace federa::snapshot {
namespace {

using federation::DeviceKind;
using federation::device_name;

constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr auto kDrain = std::chrono::milliseconds(50);

std::string capture_end(const std::string& tag, const CutPort& at, const char* end) {
  return device_name(DeviceKind::kCapture, tag, at.port.device, end);
}

std::string table_of(const std::string& tag, const std::string& netns) {
  return "fd_" + federation::short_hash({"snapshot", tag, netns});
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// A capture veth pair for one port and the thread that reads its far end.
struct ChannelCut::Capture {
  std::string netns, dup, rec;
  std::unique_ptr<PacketSocket> socket;
  std::vector<Frame> frames;
  std::atomic<bool> stopping{false};
  std::thread reader;

  void read_until_stopped() {
    while (true) {
      const bool last_pass = stopping.load();
      if (auto frame = socket->receive(last_pass ? kDrain : kPoll)) {
        frames.push_back({now_us(), std::move(*frame)});
      } else if (last_pass) {
        return;
      }
    }
  }
};

std::vector<CutPort> cut_ports(const SliceDescription& slice) {
  std::vector<CutPort> ports;
  for (const auto& node : slice.nodes) {
    for (const auto& port : node.ports) ports.push_back({node.name, port, bridge_of(slice, port)});
  }
  return ports;
}

ChannelCut::ChannelCut(const std::string& tag, std::vector<CutPort> ports) : tag_(tag), ports_(std::move(ports)) {
  try {
    for (const auto& at : ports_) {
      auto capture = std::make_unique<Capture>();
      capture->netns = at.port.netns;
      capture->dup = capture_end(tag_, at, "dup");
      capture->rec = capture_end(tag_, at, "rec");
      federation::run_checked(
          federation::ip_command(capture->netns, {"-batch", "-"}),
          "link add " + capture->dup + " mtu 65000 type veth peer name " + capture->rec + " mtu 65000\n" +
              "link set " + capture->dup + " addrgenmode none\nlink set " + capture->rec + " addrgenmode none\n" +
              "link set " + capture->dup + " up\nlink set " + capture->rec + " up\n");
      captures_.push_back(std::move(capture));
      captures_.back()->socket = std::make_unique<PacketSocket>(at.port.netns, captures_.back()->rec);
      Capture* started = captures_.back().get();
      started->reader = std::thread([started] { started->read_until_stopped(); });
      if (std::find(namespaces_.begin(), namespaces_.end(), at.port.netns) == namespaces_.end()) {
        namespaces_.push_back(at.port.netns);
      }
    }
    install();
  } catch (...) {
    remove_tables();
    stop_capture();
    remove_devices();
    throw;
  }
}

ChannelCut::~ChannelCut() {
  if (lifted_) return;
  try {
    remove_tables();
  } catch (const std::exception& e) {
    logger("snapshot")->error("event=cut_remove_failed tag={} error={}", tag_, log_value(e.what()));
  }
  stop_capture();
  remove_devices();
}

void ChannelCut::install() {
  for (const auto& netns : namespaces_) {
    std::string script = "table netdev " + table_of(tag_, netns) + " {\n";
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      if (ports_[i].port.netns != netns) continue;
      script += "  chain p" + std::to_string(i) + " {\n    type filter hook ingress device \"" +
                ports_[i].port.device + "\" priority -10; policy accept;\n    counter dup to \"" +
                captures_[i]->dup + "\" drop\n  }\n";
    }
    federation::run_nft(netns, {"-f", "-"}, script + "}\n");
  }
}

// Deletes the cut tables; returns each port's drop count (0 where no table was found).
std::vector<std::uint64_t> ChannelCut::remove_tables() {
  static const std::regex kChain(R"(chain p([0-9]+) \{[^}]*counter packets ([0-9]+))");
  std::vector<std::uint64_t> dropped(ports_.size(), 0);
  for (const auto& netns : namespaces_) {
    const std::string table = table_of(tag_, netns);
    const std::string tables = federation::run_nft(netns, {"list", "tables", "netdev"});
    if (tables.find("table netdev " + table + "\n") == std::string::npos) continue;
    const std::string listing = federation::run_nft(netns, {"list", "table", "netdev", table});
    federation::run_nft(netns, {"delete", "table", "netdev", table});
    for (std::sregex_iterator it(listing.begin(), listing.end(), kChain), end; it != end; ++it) {
      dropped.at(std::stoul((*it)[1])) = std::stoull((*it)[2]);
    }
  }
  return dropped;
}

void ChannelCut::stop_capture() {
  for (auto& capture : captures_) capture->stopping = true;
  for (auto& capture : captures_) {
    if (capture->reader.joinable()) capture->reader.join();
  }
}

void ChannelCut::remove_devices() {
  for (auto& capture : captures_) {
    capture->socket.reset();
    federation::delete_links(capture->netns, {capture->dup});
  }
}

std::vector<ChannelRecording> ChannelCut::lift() {
  const std::vector<std::uint64_t> dropped = remove_tables();
  stop_capture();
  lifted_ = true;
  std::vector<ChannelRecording> recordings;
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    recordings.push_back({ports_[i], std::move(captures_[i]->frames), dropped[i]});
  }
  remove_devices();
  return recordings;
}

}  // namespace federa::snapshot
