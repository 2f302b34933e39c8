#include "snapshot/live_cut.h"

#include "snapshot/frame_injector.h"

#include "snapshot/namespace_control.h"
#include "snapshot/packet_socket.h"

#include "common/geni_error.h"
#include "common/log.h"

#include <algorithm>
#include <optional>

namespace federa::snapshot {
namespace {

// Colours as packet marks; VXLAN's Group Policy field carries the low 16 bits.
constexpr const char* kWhite = "0xfd01";
constexpr const char* kRed = "0xfd02";
// The probe a mark sends towards its node (mark()), let through while everything else is held.
constexpr std::uint32_t kProbeMark = 0xfd03;
// How long a probe may stay in its tap. A stopped QEMU reads no tap while the last pass of its
// copy holds its big lock (40-70 ms under load here, where a 40 ms wait once took that for a
// frame kept and so doubled one), then reads the probe before libvirt resumes the guest; a QEMU
// that keeps a frame already reads the probe only after the resume (finish() tells the two apart).
// A probe still in its tap after this counts as behind a kept frame.
constexpr auto kProbeLimit = std::chrono::seconds(5);
// How long a node's reader must take no frame for its queue to count as empty, and the most the
// start waits for that (a paused node never empties its queue).
constexpr auto kSettleQuiet = std::chrono::milliseconds(5);
constexpr auto kSettleLimit = std::chrono::milliseconds(150);

// What a rule adds to keep a frame: a named counter (so the capture's reader knows when it has
// every frame) and the copy to the capture.
std::string keep(const std::string& counter, const CapturePort& capture) {
  return " counter name \"" + counter + "\" dup to \"" + capture.target() + "\"";
}

// To no one (a locally administered address no node has), of the IEEE's local experimental
// EtherType: virtio-net's filter or the guest's stack drops it.
const std::string& probe_frame() {
  static const std::string frame = [] {
    std::string f = std::string("\x02\xfd\x00\x00\x00\x00\x02\xfd\x00\x00\x00\x01\x88\xb5", 14) +
                    "federa snapshot probe";
    f.resize(60, '\0');
    return f;
  }();
  return frame;
}

double ms_after(std::int64_t from_us, std::int64_t us) {
  return us == 0 ? -1.0 : static_cast<double>(us - from_us) / 1000.0;
}

std::vector<Frame> merged(std::vector<Frame> a, const std::vector<Frame>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::stable_sort(a.begin(), a.end(), [](const Frame& x, const Frame& y) { return x.time_us < y.time_us; });
  return a;
}

}  // namespace

// One node port and its captures: `settling` (frames held at the start), `held` (frames held for
// the node: red ones before its mark, all but white ones while it is marked), `queued` (every
// frame delivered from the start to the mark), `marking` (white frames held while it is
// marked), `in_flight` (white frames after that).
struct LiveCut::Port {
  CutPort at;
  std::string k;                // its index: chains i<k>, o<k>; counters s<k> h<k> q<k> m<k> f<k>
  std::string ingress, egress;  // chain names
  std::unique_ptr<CapturePort> settling, held, queued, marking, in_flight;
  std::unique_ptr<PacketSocket> probe;                // sends towards the node, marked kProbeMark
  std::uint64_t gone_at_start = 0;  // frames the node's reader took (or lost) when the cut began
  std::uint64_t gone_at_mark = 0;   // ... when its frames were held at its mark, before the probe
  std::uint64_t gone_past_probe = 0;  // ... when that count moved after the probe
  std::int64_t marked_us = 0, probe_moved_us = 0;  // now_us(); probe_moved_us 0: it never moved
  std::vector<Frame> marking_frames;
  bool marked = false;
};

LiveCut::LiveCut(const std::string& tag, std::vector<CutPort> ports, Force force)
    : tag_(tag), force_(std::move(force)) {
  try {
    for (std::size_t k = 0; k < ports.size(); ++k) {
      auto port = std::make_unique<Port>();
      port->at = std::move(ports[k]);
      port->k = std::to_string(k);
      port->ingress = "i" + port->k;
      port->egress = "o" + port->k;
      const auto& p = port->at.port;
      const std::string node = port->at.node;
      port->settling = std::make_unique<CapturePort>(tag_, p.netns, p.device, "settling");
      port->held = std::make_unique<CapturePort>(tag_, p.netns, p.device, "held", [this, node] { force_once(node); });
      port->queued = std::make_unique<CapturePort>(tag_, p.netns, p.device, "queued");
      port->marking = std::make_unique<CapturePort>(tag_, p.netns, p.device, "marking");
      port->in_flight = std::make_unique<CapturePort>(tag_, p.netns, p.device, "in-flight");
      port->probe = std::make_unique<PacketSocket>(p.netns, p.device, kProbeMark);
      if (!controls_.count(p.netns)) controls_.emplace(p.netns, std::make_unique<NamespaceControl>(p.netns));
      ports_.push_back(std::move(port));
    }
    install();
    settle();
  } catch (...) {
    remove_tables();
    for (auto& port : ports_) {  // what the start held goes on to its node
      if (port->settling) FrameInjector::deliver(port->at.port.netns, port->at.port.device, port->settling->stop());
    }
    throw;
  }
}

// The packets each named counter of the snapshot's table in `netns` counted.
std::map<std::string, std::uint64_t> LiveCut::counts(const std::string& netns) {
  return named_counters(
      controls_.at(netns)->nft("list counters table netdev " + snapshot_table(tag_, netns) + "\n"));
}

LiveCut::~LiveCut() {
  if (finished_) return;
  join_all();
  std::map<std::string, std::map<std::string, std::uint64_t>> counted;
  try {
    for (const auto& [netns, control] : controls_) counted[netns] = counts(netns);
    remove_tables();
  } catch (const std::exception& e) {
    logger("snapshot")->error("event=cut_remove_failed tag={} error={}", tag_, log_value(e.what()));
  }
  for (auto& port : ports_) {
    if (port->marked) continue;
    try {
      release(*port, counted[port->at.port.netns]);
    } catch (const std::exception& e) {
      logger("snapshot")->error("event=release_failed node={} error={}", port->at.node, log_value(e.what()));
    }
  }
}

void LiveCut::install() {
  for (const auto& [netns, control] : controls_) {
    std::string script = "table netdev " + snapshot_table(tag_, netns) + " {\n";
    for (const auto& port : ports_) {
      if (port->at.port.netns != netns) continue;
      const std::string device = "\"" + port->at.port.device + "\"";
      for (const char* counter : {"s", "h", "q", "m", "f"}) {
        script += std::string("  counter ") + counter + port->k + " { }\n";
      }
      script += "  chain " + port->ingress + " {\n    type filter hook ingress device " + device +
                " priority -10; policy accept;\n    meta mark set " + kWhite + "\n  }\n";
      script += "  chain " + port->egress + " {\n    type filter hook egress device " + device +
                " priority -10; policy accept;\n   " + keep("s" + port->k, *port->settling) + " drop\n  }\n";
    }
    control->nft(script + "}\n");
  }
}

void LiveCut::settle() {
  const auto gone = [this](const Port& port) {
    return controls_.at(port.at.port.netns)->frames_gone(port.at.port.device);
  };
  std::vector<std::uint64_t> last;
  for (const auto& port : ports_) last.push_back(gone(*port));
  const auto start = std::chrono::steady_clock::now();
  auto quiet_since = start;
  while (std::chrono::steady_clock::now() - start < kSettleLimit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      const std::uint64_t now = gone(*ports_[i]);
      if (now != last[i]) quiet_since = std::chrono::steady_clock::now();
      last[i] = now;
    }
    if (std::chrono::steady_clock::now() - quiet_since >= kSettleQuiet) break;
  }
  for (std::size_t i = 0; i < ports_.size(); ++i) ports_[i]->gone_at_start = last[i];
  for (const auto& [netns, control] : controls_) {
    const std::string table = snapshot_table(tag_, netns);
    std::string script;
    for (const auto& port : ports_) {
      if (port->at.port.netns != netns) continue;
      script += "flush chain netdev " + table + " " + port->egress + "\nadd rule netdev " + table + " " +
                port->egress + " meta mark " + kRed + keep("h" + port->k, *port->held) + " drop\nadd rule netdev " +
                table + " " + port->egress + keep("q" + port->k, *port->queued) + "\n";
    }
    control->nft(script);
  }
  for (const auto& [netns, control] : controls_) {
    auto counted = counts(netns);
    for (auto& port : ports_) {
      if (port->at.port.netns == netns) deliver_held(*port, port->settling->stop(kCaptureWait, counted["s" + port->k]));
    }
  }
}

void LiveCut::force_once(const std::string& node) {
  if (!force_) return;
  std::lock_guard lock(mutex_);
  if (closing_ || marking_.count(node) || forcing_.count(node)) return;
  forcing_.emplace(node, std::thread([this, node] {
    try {
      force_(node);
    } catch (const std::exception& e) {
      logger("snapshot")->warn("event=force_failed node={} error={}", node, log_value(e.what()));
    }
  }));
}

bool LiveCut::forced(const std::string& node) {
  std::thread waiting;
  {
    std::lock_guard lock(mutex_);
    const auto it = forcing_.find(node);
    if (it == forcing_.end()) return false;
    waiting = std::move(it->second);
  }
  if (waiting.joinable()) waiting.join();
  return true;
}

void LiveCut::join_all() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;  // a frame a capture still hands over forces no one now
    threads.swap(releases_);
    for (auto& [node, t] : forcing_) threads.push_back(std::move(t));
  }
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
}

// QEMU's own virtio-net (TCG guests) goes on reading a node's tap while the node is stopped, but
// only once: the frame it takes then stays in QEMU's queue until the guest runs, in neither the
// image nor the tap. So every port gets a probe once its frames are held (mark()), and its
// reader's count is watched until it moves, with the time it moved: before the node resumed, the
// reader took one more frame (the probe, or the first still waiting) that is not in the image;
// only after (or never), a reader that keeps a frame (CutPort) kept the last one it took before.
void LiveCut::wait_for_probes(const std::vector<Port*>& mine, NamespaceControl& control) {
  std::vector<Port*> waiting = mine;
  const auto deadline = std::chrono::steady_clock::now() + kProbeLimit;
  while (!waiting.empty() && std::chrono::steady_clock::now() < deadline) {
    std::erase_if(waiting, [&](Port* port) {
      const std::uint64_t now = control.frames_gone(port->at.port.device);
      if (now == port->gone_at_mark) return false;
      port->gone_past_probe = now;
      port->probe_moved_us = now_us();
      return true;
    });
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

// The frames the port's reader took that are in its node's image. A guest its own copy stopped
// (not forced) was stopped by QEMU holding its big lock, which it keeps until the copy ends: its
// main loop reads no tap in that time, so a mark then counted exactly the frames taken before
// the stop, all in the image. Otherwise the probe tells (wait_for_probes).
std::uint64_t LiveCut::taken_into_image(const Port& port, const NodeStop& stop, bool forced) const {
  const bool in_copy = !forced && stop.stopped_us != 0 && stop.stopped_us <= port.marked_us &&
                       port.marked_us < stop.copy_ended_us;
  const bool before_resume = port.probe_moved_us != 0 && (stop.resumed_us == 0 || port.probe_moved_us < stop.resumed_us);
  std::uint64_t gone = port.gone_at_mark, outside = 0;
  const char* kept = "none";
  if (!in_copy && before_resume) {
    gone = port.gone_past_probe;
    outside = 1;
    kept = "probe";
  } else if (!in_copy && port.at.reader_keeps_a_frame_when_stopped) {
    outside = 1;
    kept = "frame";
  }
  logger("snapshot")->info("event=snapshot_probe tag={} node={} port={} moved_ms={:.1f} copy_ended_ms={:.1f} "
                           "resumed_ms={:.1f} forced={} in_copy={} kept={}",
                           tag_, port.at.node, port.at.port.device, ms_after(port.marked_us, port.probe_moved_us),
                           ms_after(port.marked_us, stop.copy_ended_us), ms_after(port.marked_us, stop.resumed_us),
                           forced, in_copy, kept);
  gone -= port.gone_at_start;
  return gone - std::min(gone, outside);
}

void LiveCut::mark(const std::string& node) {
  const std::int64_t start = now_us();
  {
    std::lock_guard lock(mutex_);
    marking_.insert(node);
  }
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
            "\nadd rule netdev " + table + " " + port->egress + " meta mark " + std::to_string(kProbeMark) +
            " accept\nadd rule netdev " + table + " " + port->egress + " meta mark " + kWhite +
            keep("m" + port->k, *port->marking) + " drop\nadd rule netdev " + table + " " + port->egress +
            keep("h" + port->k, *port->held) + " drop\n";
  }
  NamespaceControl& control = *controls_.at(netns);
  control.nft(hold);
  for (Port* port : mine) {
    port->gone_at_mark = control.frames_gone(port->at.port.device);
    port->marked_us = now_us();
    port->probe->send(probe_frame());
  }
  logger("snapshot")->info("event=snapshot_mark tag={} node={} ms={:.1f}", tag_, node,
                           static_cast<double>(now_us() - start) / 1000.0);
  std::lock_guard lock(mutex_);
  for (Port* port : mine) port->marked = true;
  releases_.emplace_back([this, mine, table, netns, &control] {
    try {
      wait_for_probes(mine, control);
      std::string pass;
      for (Port* port : mine) {
        pass += "flush chain netdev " + table + " " + port->egress + "\nadd rule netdev " + table + " " +
                port->egress + " meta mark " + kWhite + keep("f" + port->k, *port->in_flight) + "\n";
      }
      control.nft(pass);
      const auto counted = counts(netns);
      for (Port* port : mine) release(*port, counted);
    } catch (const std::exception& e) {
      logger("snapshot")->error("event=release_failed node={} error={}", mine.front()->at.node, log_value(e.what()));
    }
  });
}

// Delivers, out of its port and in the order they came, the frames held for the port's node,
// once their captures have all of them (`counted`: the table's counters after the rules moved on).
void LiveCut::release(Port& port, const std::map<std::string, std::uint64_t>& counted) {
  const auto expected = [&](const char* counter) -> std::optional<std::size_t> {
    const auto it = counted.find(counter + port.k);
    if (it == counted.end()) return std::nullopt;
    return static_cast<std::size_t>(it->second);
  };
  port.marking_frames = port.marking->stop(kCaptureWait, expected("m"));
  deliver_held(port, merged(port.held->stop(kCaptureWait, expected("h")), port.marking_frames));
}

void LiveCut::deliver_held(Port& port, const std::vector<Frame>& held) {
  if (held.empty()) return;
  FrameInjector::deliver(port.at.port.netns, port.at.port.device, held);
  const double longest = static_cast<double>(now_us() - held.front().time_us) / 1000.0;
  std::lock_guard lock(mutex_);
  frames_held_ += held.size();
  longest_hold_ms_ = std::max(longest_hold_ms_, longest);
}

void LiveCut::remove_tables() {
  for (const auto& [netns, control] : controls_) remove_snapshot_table(tag_, netns);
}

LiveCutResult LiveCut::finish(const std::map<std::string, NodeStop>& stops) {
  for (const auto& port : ports_) {
    if (!port->marked) {
      throw GeniError(GeniCode::kServerError, "node " + port->at.node + " never reached its snapshot point");
    }
  }
  join_all();
  std::map<std::string, std::map<std::string, std::uint64_t>> counted;
  for (const auto& [netns, control] : controls_) counted[netns] = counts(netns);
  remove_tables();
  finished_ = true;
  LiveCutResult result;
  for (auto& port : ports_) {
    auto& of_host = counted[port->at.port.netns];
    std::vector<Frame> queued = port->queued->stop(kCaptureWait, of_host["q" + port->k]);
    const auto stop = stops.find(port->at.node);
    const std::uint64_t taken =
        taken_into_image(*port, stop == stops.end() ? NodeStop{} : stop->second, forcing_.count(port->at.node) > 0);
    const std::size_t waiting = taken >= queued.size() ? 0 : queued.size() - static_cast<std::size_t>(taken);
    std::vector<Frame> channel(queued.end() - static_cast<std::ptrdiff_t>(waiting), queued.end());
    channel.insert(channel.end(), port->marking_frames.begin(), port->marking_frames.end());
    std::vector<Frame> later = port->in_flight->stop(kCaptureWait, of_host["f" + port->k]);
    logger("snapshot")->info("event=snapshot_channel tag={} node={} port={} delivered={} taken={} waiting={} "
                             "held_at_mark={} later={}", tag_, port->at.node, port->at.port.device, queued.size(),
                             taken, waiting, port->marking_frames.size(), later.size());
    for (Frame& frame : later) channel.push_back(std::move(frame));
    result.channels.push_back({port->at, std::move(channel), 0});
  }
  result.frames_held = frames_held_;
  result.longest_hold_ms = longest_hold_ms_;
  return result;
}

}  // namespace federa::snapshot
