#include "snapshot/live_cut.h"

#include "snapshot/frame_injector.h"

#include "federation/command.h"
#include "federation/device_counters.h"
#include "federation/host_links.h"

#include "common/geni_error.h"
#include "common/log.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace federa::snapshot {
namespace {

// Colours as packet marks; VXLAN's Group Policy field carries the low 16 bits.
constexpr const char* kWhite = "0xfd01";
constexpr const char* kRed = "0xfd02";
constexpr auto kHeldQuiet = std::chrono::milliseconds(5);

// How many frames wait in the port's queue towards its (stopped) node: those the qdisc handed to
// the device minus those the device's reader took or dropped. A tap counts a frame as
// transmitted when QEMU reads it; a veth (no qdisc) delivers at once and has no queue.
std::uint64_t frames_waiting(const CutPort& at) {
  const auto counters = federation::device_counters(at.port.netns, at.port.device);
  if (!counters) {
    throw GeniError(GeniCode::kServerError, "port " + at.port.device + " of node " + at.node + " is gone");
  }
  std::vector<std::string> tc{"tc"};
  if (!at.port.netns.empty()) tc.insert(tc.end(), {"-n", at.port.netns});
  tc.insert(tc.end(), {"-s", "-json", "qdisc", "show", "dev", at.port.device});
  std::uint64_t handed = 0;
  for (const auto& qdisc : nlohmann::json::parse(federation::run_checked(tc), nullptr, false)) {
    if (qdisc.value("root", false)) handed += qdisc.value("packets", std::uint64_t{0});
  }
  const std::uint64_t gone = counters->tx_packets + counters->tx_dropped;
  return handed > gone ? handed - gone : 0;
}

std::vector<Frame> merged(std::vector<Frame> a, const std::vector<Frame>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::stable_sort(a.begin(), a.end(), [](const Frame& x, const Frame& y) { return x.time_us < y.time_us; });
  return a;
}

}  // namespace

// One node port and its captures: `held` (frames held for the node: red ones before its mark,
// all but white ones while it is marked), `queued` (every frame delivered before the mark),
// `marking` (white frames held while it is marked), `in_flight` (white frames after that).
struct LiveCut::Port {
  CutPort at;
  std::string ingress, egress;  // chain names
  std::unique_ptr<CapturePort> held, queued, marking, in_flight;
  std::uint64_t waiting = 0;    // frames in the node's queue at its mark
  std::vector<Frame> marking_frames;
  bool marked = false;
};

LiveCut::LiveCut(const std::string& tag, std::vector<CutPort> ports) : tag_(tag) {
  try {
    for (std::size_t k = 0; k < ports.size(); ++k) {
      auto port = std::make_unique<Port>();
      port->at = std::move(ports[k]);
      port->ingress = "i" + std::to_string(k);
      port->egress = "o" + std::to_string(k);
      const auto& p = port->at.port;
      port->held = std::make_unique<CapturePort>(tag_, p.netns, p.device, "held");
      port->queued = std::make_unique<CapturePort>(tag_, p.netns, p.device, "queued");
      port->marking = std::make_unique<CapturePort>(tag_, p.netns, p.device, "marking");
      port->in_flight = std::make_unique<CapturePort>(tag_, p.netns, p.device, "in-flight");
      if (std::find(namespaces_.begin(), namespaces_.end(), p.netns) == namespaces_.end()) {
        namespaces_.push_back(p.netns);
      }
      ports_.push_back(std::move(port));
    }
    install();
  } catch (...) {
    remove_tables();
    throw;
  }
}

LiveCut::~LiveCut() {
  if (finished_) return;
  try {
    remove_tables();
  } catch (const std::exception& e) {
    logger("snapshot")->error("event=cut_remove_failed tag={} error={}", tag_, log_value(e.what()));
  }
  std::vector<std::thread> releases;
  {
    std::lock_guard lock(mutex_);
    releases.swap(releases_);
  }
  for (auto& t : releases) t.join();
  for (auto& port : ports_) {
    if (port->marked) continue;
    try {
      release(*port);
    } catch (const std::exception& e) {
      logger("snapshot")->error("event=release_failed node={} error={}", port->at.node, log_value(e.what()));
    }
  }
}

void LiveCut::install() {
  for (const auto& netns : namespaces_) {
    std::string script = "table netdev " + snapshot_table(tag_, netns) + " {\n";
    for (const auto& port : ports_) {
      if (port->at.port.netns != netns) continue;
      const std::string device = "\"" + port->at.port.device + "\"";
      script += "  chain " + port->ingress + " {\n    type filter hook ingress device " + device +
                " priority -10; policy accept;\n    meta mark set " + kWhite + "\n  }\n";
      script += "  chain " + port->egress + " {\n    type filter hook egress device " + device +
                " priority -10; policy accept;\n    meta mark " + kRed + " dup to \"" + port->held->target() +
                "\" drop\n    dup to \"" + port->queued->target() + "\"\n  }\n";
    }
    federation::run_nft(netns, {"-f", "-"}, script + "}\n");
  }
}

void LiveCut::mark(const std::string& node) {
  std::vector<Port*> mine;
  for (auto& port : ports_) {
    if (port->at.node == node) mine.push_back(port.get());
  }
  if (mine.empty()) return;
  // A node's ports are all on its host, in one namespace: one nftables transaction each step.
  const std::string& netns = mine.front()->at.port.netns;
  const std::string table = snapshot_table(tag_, netns);
  std::string hold;
  for (Port* port : mine) {
    hold += "flush chain netdev " + table + " " + port->ingress + "\nadd rule netdev " + table + " " +
            port->ingress + " meta mark set " + kRed + "\nflush chain netdev " + table + " " + port->egress +
            "\nadd rule netdev " + table + " " + port->egress + " meta mark " + kWhite + " dup to \"" +
            port->marking->target() + "\" drop\nadd rule netdev " + table + " " + port->egress + " dup to \"" +
            port->held->target() + "\" drop\n";
  }
  federation::run_nft(netns, {"-f", "-"}, hold);
  for (Port* port : mine) port->waiting = frames_waiting(port->at);
  std::lock_guard lock(mutex_);
  for (Port* port : mine) port->marked = true;
  releases_.emplace_back([this, mine, table, netns] {
    try {
      std::string pass;
      for (Port* port : mine) {
        pass += "flush chain netdev " + table + " " + port->egress + "\nadd rule netdev " + table + " " +
                port->egress + " meta mark " + kWhite + " dup to \"" + port->in_flight->target() + "\"\n";
      }
      federation::run_nft(netns, {"-f", "-"}, pass);
      for (Port* port : mine) release(*port);
    } catch (const std::exception& e) {
      logger("snapshot")->error("event=release_failed node={} error={}", mine.front()->at.node, log_value(e.what()));
    }
  });
}

// Delivers, out of its port and in the order they came, the frames held for the port's node.
void LiveCut::release(Port& port) {
  port.marking_frames = port.marking->stop(kHeldQuiet);
  const std::vector<Frame> held = merged(port.held->stop(kHeldQuiet), port.marking_frames);
  if (held.empty()) return;
  FrameInjector::deliver(port.at.port.netns, port.at.port.device, held);
  const double longest = static_cast<double>(now_us() - held.front().time_us) / 1000.0;
  std::lock_guard lock(mutex_);
  frames_held_ += held.size();
  longest_hold_ms_ = std::max(longest_hold_ms_, longest);
}

void LiveCut::remove_tables() {
  for (const auto& netns : namespaces_) remove_snapshot_table(tag_, netns);
}

LiveCutResult LiveCut::finish() {
  for (const auto& port : ports_) {
    if (!port->marked) {
      throw GeniError(GeniCode::kServerError, "node " + port->at.node + " never reached its snapshot point");
    }
  }
  std::vector<std::thread> releases;
  {
    std::lock_guard lock(mutex_);
    releases.swap(releases_);
  }
  for (auto& t : releases) t.join();
  remove_tables();
  finished_ = true;
  LiveCutResult result;
  for (auto& port : ports_) {
    std::vector<Frame> queued = port->queued->stop();
    const std::size_t waiting = std::min<std::size_t>(queued.size(), port->waiting);
    std::vector<Frame> channel(queued.end() - static_cast<std::ptrdiff_t>(waiting), queued.end());
    channel.insert(channel.end(), port->marking_frames.begin(), port->marking_frames.end());
    for (Frame& frame : port->in_flight->stop()) channel.push_back(std::move(frame));
    result.channels.push_back({port->at, std::move(channel), 0});
  }
  result.frames_held = frames_held_;
  result.longest_hold_ms = longest_hold_ms_;
  return result;
}

}  // namespace federa::snapshot
