#include "snapshot/channel_cut.h"

#include "federation/host_links.h"

#include "common/log.h"

#include <algorithm>
#include <regex>

namespace federa::snapshot {

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
      script += "  chain p" + std::to_string(i) + " {\n    type filter hook ingress device \"" +
                ports_[i].port.device + "\" priority -10; policy accept;\n    counter dup to \"" +
                captures_[i]->target() + "\" drop\n  }\n";
    }
    federation::run_nft(netns, {"-f", "-"}, script + "}\n");
  }
}

// Deletes the cut tables; returns each port's drop count (0 where no table was found).
std::vector<std::uint64_t> ChannelCut::remove_tables() {
  static const std::regex kChain(R"(chain p([0-9]+) \{[^}]*counter packets ([0-9]+))");
  std::vector<std::uint64_t> dropped(ports_.size(), 0);
  for (const auto& netns : namespaces_) {
    const std::string listing = remove_snapshot_table(tag_, netns);
    for (std::sregex_iterator it(listing.begin(), listing.end(), kChain), end; it != end; ++it) {
      dropped.at(std::stoul((*it)[1])) = std::stoull((*it)[2]);
    }
  }
  return dropped;
}

std::vector<ChannelRecording> ChannelCut::lift() {
  const std::vector<std::uint64_t> dropped = remove_tables();
  lifted_ = true;
  std::vector<ChannelRecording> recordings;
  for (std::size_t i = 0; i < ports_.size(); ++i) recordings.push_back({ports_[i], captures_[i]->stop(), dropped[i]});
  captures_.clear();
  return recordings;
}

}  // namespace federa::snapshot
