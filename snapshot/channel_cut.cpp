#include "snapshot/channel_cut.h"

#include "federation/host_links.h"

#include "common/log.h"

#include <algorithm>

namespace federa::snapshot {

std::vector<CutPort> cut_ports(const SliceDescription& slice) {
  std::vector<CutPort> ports;
  for (const auto& node : slice.nodes) {
    for (const auto& port : node.ports) {
      ports.push_back({node.name, port, bridge_of(slice, port), node.driver->keeps_a_frame_when_stopped()});
    }
  }
  return ports;
}

ChannelCut::ChannelCut(const std::string& tag, std::vector<CutPort> ports) : tag_(tag), ports_(std::move(ports)) {
  try {
    for (const auto& at : ports_) {
      captures_.push_back(std::make_unique<CapturePort>(tag_, at.port.netns, at.port.device, "cut"));
      if (std::find(namespaces_.begin(), namespaces_.end(), at.port.netns) == namespaces_.end()) {
        namespaces_.push_back(at.port.netns);
      }
    }
    install();
  } catch (...) {
    remove_tables();
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
}

void ChannelCut::install() {
  for (const auto& netns : namespaces_) {
    std::string script = "table netdev " + snapshot_table(tag_, netns) + " {\n";
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      if (ports_[i].port.netns != netns) continue;
      const std::string k = std::to_string(i);
      script += "  counter c" + k + " { }\n  chain p" + k + " {\n    type filter hook ingress device \"" +
                ports_[i].port.device + "\" priority -10; policy accept;\n    counter name \"c" + k +
                "\" dup to \"" + captures_[i]->target() + "\" drop\n  }\n";
    }
    federation::run_nft(netns, {"-f", "-"}, script + "}\n");
  }
}

void ChannelCut::remove_tables() {
  for (const auto& netns : namespaces_) remove_snapshot_table(tag_, netns);
}

// Each port's chain is emptied first, so its counter is final when read: the capture is then
// waited for until it has exactly that many frames.
std::vector<ChannelRecording> ChannelCut::lift() {
  std::vector<std::uint64_t> dropped(ports_.size(), 0);
  for (const auto& netns : namespaces_) {
    const std::string table = snapshot_table(tag_, netns);
    std::string flush;
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      if (ports_[i].port.netns == netns) flush += "flush chain netdev " + table + " p" + std::to_string(i) + "\n";
    }
    federation::run_nft(netns, {"-f", "-"}, flush);
    const auto counted = named_counters(federation::run_nft(netns, {"list", "counters", "table", "netdev", table}));
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      if (ports_[i].port.netns == netns) dropped[i] = counted.at("c" + std::to_string(i));
    }
  }
  remove_tables();
  lifted_ = true;
  std::vector<ChannelRecording> recordings;
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    recordings.push_back({ports_[i], captures_[i]->stop(kCaptureWait, dropped[i]), dropped[i]});
  }
  captures_.clear();
  return recordings;
}

}  // namespace federa::snapshot
