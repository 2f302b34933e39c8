#include "snapshot/slice_snapshotter.h"

#include "snapshot/channel_cut.h"
#include "snapshot/frame_injector.h"
#include "snapshot/live_cut.h"
#include "snapshot/parallel.h"

#include "common/geni_error.h"
#include "common/log.h"
#include "common/uuid.h"

#include "federation/link_driver.h"

#include <map>
#include <mutex>
#include <thread>

namespace federa::snapshot {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kLiveAttempts = 2;
using federation::DomainState;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool running(federation::NodeDriver& driver, const std::string& node) {
  const DomainState state = driver.status(node).state;
  return state == DomainState::kRunning || state == DomainState::kBlocked;
}

std::uint64_t inject_all(FrameInjector& injector, const std::vector<ChannelRecording>& recordings) {
  std::uint64_t sent = 0;
  for (const auto& r : recordings) sent += injector.inject(r.at.port.netns, r.at.bridge, r.frames);
  return sent;
}

// The nodes take() paused, resumed even if some fail (those are logged and the first rethrown).
void resume_all(const SliceDescription& slice, const std::vector<bool>& paused) {
  std::exception_ptr first;
  for (std::size_t i = 0; i < slice.nodes.size(); ++i) {
    if (!paused[i]) continue;
    try {
      slice.nodes[i].driver->resume(slice.nodes[i].name);
    } catch (const std::exception& e) {
      logger("snapshot")->error("event=resume_failed node={} error={}", slice.nodes[i].name, log_value(e.what()));
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

std::uint64_t file_bytes(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  return ec ? 0 : size;
}

// One snapshot being taken: the state a rollback needs.
class Taking {
 public:
  Taking(const SliceDescription& slice, SnapshotRecord& record, const Progress& progress)
      : slice_(slice), record_(record), progress_(progress), paused_(slice.nodes.size(), false) {}

  void run(const SnapshotOptions& options) {
    live_ = options.mode == SnapshotMode::kLive;
    if (live_) {
      run_live();
    } else {
      stop_the_world(options);
    }
  }

  // What a failed run() calls: the live slice goes on and loses no frame. Live: the colouring
  // is removed and delivers what it holds (QEMU resumed its nodes itself, and every frame it
  // recorded was delivered as well). Stop-the-world: reopen().
  void roll_back() {
    if (live_) {
      live_cut_.reset();
    } else {
      reopen();
    }
  }

 private:
  void stop_the_world(const SnapshotOptions& options) {
    const auto start = Clock::now();
    report(progress_, "cut", 0.0);
    cut_.emplace(record_.id, cut_ports(slice_));
    std::this_thread::sleep_for(options.drain);
    report(progress_, "pause", 0.1);
    for (std::size_t i = 0; i < slice_.nodes.size(); ++i) {
      const SliceNode& node = slice_.nodes[i];
      if (!running(*node.driver, node.name)) continue;
      node.driver->suspend(node.name);
      paused_[i] = true;
    }
    snapshot_nodes(false, {});
    report(progress_, "channels", 0.85);
    reopen();
    record_.duration_ms = ms_since(start);
    record_.interruption_ms = record_.duration_ms;
    write_channels(false);
  }

  // Every node snapshots live; each marks its snapshot point in the colouring as it stops.
  void run_live() {
    const auto start = Clock::now();
    // Before the colouring can force (pause) any node: which ones run on afterwards.
    for (const SliceNode& node : slice_.nodes) running_at_start_.push_back(running(*node.driver, node.name));
    report(progress_, "colour", 0.0);
    // A red frame waiting for a white node pauses it: its snapshot point comes now (QEMU then
    // finishes the copy with the guest stopped), not at its own last pass.
    live_cut_.emplace(record_.id, cut_ports(slice_), [this](const std::string& name) {
      for (const SliceNode& node : slice_.nodes) {
        if (node.name == name) node.driver->suspend(name);
      }
    });
    snapshot_nodes(true, [this](const std::string& node) { live_cut_->mark(node); });
    report(progress_, "channels", 0.85);
    LiveCutResult cut = live_cut_->finish(stops_);
    live_cut_.reset();
    recordings_ = std::move(cut.channels);
    record_.duration_ms = ms_since(start);
    record_.interruption_ms = cut.longest_hold_ms;
    write_channels(true);
    logger("snapshot")->info("event=snapshot_colour id={} frames_held={} longest_hold_ms={:.1f}", record_.id,
                             cut.frames_held, cut.longest_hold_ms);
  }

  // Lifts the cut, resumes what was paused, then gives the live slice its recorded frames
  // (after the resume: a frame queued at a paused QEMU's tap was seen lost now and then).
  void reopen() {
    if (cut_) {
      recordings_ = cut_->lift();
      cut_.reset();
    }
    report(progress_, "resume", 0.9);
    const std::vector<bool> paused = std::exchange(paused_, std::vector<bool>(slice_.nodes.size(), false));
    std::exception_ptr failed;  // a node that cannot resume must not cost the others their frames
    try {
      resume_all(slice_, paused);
    } catch (...) {
      failed = std::current_exception();
    }
    {
      FrameInjector injector(record_.id + "/live");
      inject_all(injector, recordings_);
    }
    if (failed) std::rethrow_exception(failed);
  }

  void snapshot_nodes(bool live, const std::function<void(const std::string&)>& mark) {
    report(progress_, "snapshot", 0.2);
    record_.nodes.resize(slice_.nodes.size());
    PhaseSteps steps(progress_, "snapshot", 0.2, 0.8, slice_.nodes.size());
    for_each_parallel(slice_.nodes.size(), [&](std::size_t i) {
      const SliceNode& node = slice_.nodes[i];
      const auto file = std::filesystem::path(record_.directory) / (node.name + ".mem");
      std::function<void()> at_pause;
      if (mark) at_pause = [&mark, &node] { mark(node.name); };
      const bool was_running = running_at_start_.empty() || running_at_start_[i];
      federation::JobStats stats;
      try {
        stats = node.driver->snapshot(node.name, file, live, at_pause);
      } catch (...) {
        settle_forced(node, was_running);
        throw;
      }
      settle_forced(node, was_running);
      {
        std::lock_guard lock(stops_mutex_);
        stops_[node.name] = {stats.stopped_at_us, stats.copy_ended_at_us, stats.resumed_at_us};
      }
      record_.nodes[i] = {node.name,     file.string(), file_bytes(file) + stats.disk_bytes, stats.downtime_ms,
                          stats.wall_ms, stats.paused_ms};
      steps.step_done();
    });
  }

  // A node the colouring paused (LiveCut's force) runs again once its snapshot is written, even
  // if the pause came after libvirt's own resume.
  void settle_forced(const SliceNode& node, bool was_running) {
    if (!live_cut_ || !live_cut_->forced(node.name) || !was_running) return;
    logger("snapshot")->info("event=snapshot_forced id={} node={}", record_.id, node.name);
    try {
      if (node.driver->status(node.name).state == DomainState::kPaused) node.driver->resume(node.name);
    } catch (const std::exception& e) {
      logger("snapshot")->error("event=resume_failed node={} error={}", node.name, log_value(e.what()));
    }
  }

  void write_channels(bool at_receiver) {
    for (const auto& r : recordings_) {
      const auto file = std::filesystem::path(record_.directory) / (r.at.node + "." + r.at.port.link_id + ".pcap");
      write_pcap(file, r.frames);
      record_.channels.push_back({r.at.node, r.at.port.link_id, r.at.port.device, r.at.port.netns, r.at.bridge,
                                  file.string(), r.frames.size(), r.dropped, at_receiver});
      record_.frames += r.frames.size();
    }
    for (const auto& n : record_.nodes) record_.bytes += n.bytes;
    for (const auto& c : record_.channels) record_.bytes += file_bytes(c.file);
  }

  const SliceDescription& slice_;
  SnapshotRecord& record_;
  const Progress& progress_;
  std::vector<bool> paused_;
  std::optional<ChannelCut> cut_;
  std::optional<LiveCut> live_cut_;
  std::vector<bool> running_at_start_;  // live mode
  std::mutex stops_mutex_;
  std::map<std::string, NodeStop> stops_;  // live mode: each node's stop at its snapshot point
  bool live_ = false;
  std::vector<ChannelRecording> recordings_;
};

const SliceNode& node_named(const SliceDescription& slice, const std::string& name) {
  for (const auto& node : slice.nodes) {
    if (node.name == name) return node;
  }
  throw GeniError(GeniCode::kBadArgs, "the snapshot holds node " + name + ", which slice " + slice.slice_urn +
                                          " does not have");
}

// Where a channel's node has its port on the channel's link now: the node may have migrated
// since the snapshot, to a host with its own namespace and bridges.
const SlicePort& port_now(const SliceDescription& slice, const ChannelLog& channel) {
  for (const SlicePort& port : node_named(slice, channel.node).ports) {
    if (port.link_id == channel.link_id) return port;
  }
  throw GeniError(GeniCode::kBadArgs, "node " + channel.node + " of slice " + slice.slice_urn +
                                          " has no port on link " + channel.link_id + " any more");
}

}  // namespace

SliceSnapshotter::SliceSnapshotter(store::Store& store, std::filesystem::path root)
    : store_(store), root_(std::move(root)) {}

SnapshotRecord SliceSnapshotter::take(const SliceDescription& slice, const SnapshotOptions& options,
                                      const Progress& progress) {
  if (options.mode != SnapshotMode::kLive) return attempt(slice, options, progress);
  SnapshotOptions fallback = options;
  fallback.mode = SnapshotMode::kStopTheWorld;
  for (const auto& link : slice.links) {
    if (!federation::LinkDriver::carries_marks(link)) {
      logger("snapshot")->warn("event=snapshot_fallback slice={} reason=link_without_marks link={}",
                               log_value(slice.slice_urn), log_value(link.link_id));
      return attempt(slice, fallback, progress);
    }
  }
  // A mark that came too late is a matter of scheduling: one more live attempt, then stop the world.
  for (int attempt_no = 1;; ++attempt_no) {
    try {
      return attempt(slice, options, progress);
    } catch (const federation::SnapshotPointMissed& e) {
      logger("snapshot")->warn("event=snapshot_retry slice={} attempt={} reason=late_mark error={}",
                               log_value(slice.slice_urn), attempt_no, log_value(e.what()));
      if (attempt_no == kLiveAttempts) break;
    }
  }
  logger("snapshot")->warn("event=snapshot_fallback slice={} reason=late_mark", log_value(slice.slice_urn));
  return attempt(slice, fallback, progress);
}

SnapshotRecord SliceSnapshotter::attempt(const SliceDescription& slice, const SnapshotOptions& options,
                                         const Progress& progress) {
  SnapshotRecord record;
  record.id = new_uuid();
  record.slice_urn = slice.slice_urn;
  record.mode = options.mode;
  record.created = now_utc();
  record.directory = (root_ / record.id).string();
  std::filesystem::create_directories(record.directory);
  auto log = logger("snapshot");
  log->info("event=snapshot_start id={} slice={} nodes={} mode={}", record.id, log_value(slice.slice_urn),
            slice.nodes.size(), to_string(options.mode));
  Taking taking(slice, record, progress);
  try {
    taking.run(options);
    report(progress, "catalog", 0.95);
    store_.transaction([&](store::Transaction& tx) { snapshot_store::insert(tx, record); });
  } catch (const std::exception& e) {
    log->error("event=snapshot_failed id={} slice={} error={}", record.id, log_value(slice.slice_urn),
               log_value(e.what()));
    try {
      taking.roll_back();
    } catch (const std::exception& again) {
      log->error("event=snapshot_rollback_failed id={} error={}", record.id, log_value(again.what()));
    }
    std::filesystem::remove_all(record.directory);
    throw;
  }
  report(progress, "done", 1.0);
  log->info("event=snapshot_done id={} slice={} mode={} ms={:.1f} interruption_ms={:.1f} frames={} bytes={}",
            record.id, log_value(slice.slice_urn), to_string(record.mode), record.duration_ms,
            record.interruption_ms, record.frames, record.bytes);
  return record;
}

RestoreReport SliceSnapshotter::restore(const SliceDescription& slice, const std::string& snapshot_id,
                                        const Progress& progress) {
  const auto record = describe(snapshot_id);
  if (!record) throw GeniError(GeniCode::kSearchFailed, "no snapshot " + snapshot_id);
  if (record->slice_urn != slice.slice_urn) {
    throw GeniError(GeniCode::kBadArgs, "snapshot " + snapshot_id + " belongs to " + record->slice_urn);
  }
  for (const auto& image : record->nodes) node_named(slice, image.node);
  for (const auto& channel : record->channels) port_now(slice, channel);
  auto log = logger("snapshot");
  log->info("event=restore_start id={} slice={}", snapshot_id, log_value(slice.slice_urn));
  const auto start = Clock::now();
  report(progress, "pause", 0.0);
  for (const auto& node : slice.nodes) {
    if (running(*node.driver, node.name)) node.driver->suspend(node.name);
  }
  std::this_thread::sleep_for(SnapshotOptions{}.drain);
  report(progress, "restore", 0.1);
  for_each_parallel(record->nodes.size(), [&](std::size_t i) {
    const NodeImage& image = record->nodes[i];
    node_named(slice, image.node).driver->restore_paused(image.node, image.memory_file);
  });
  report(progress, "inject", 0.8);
  RestoreReport result;
  {
    FrameInjector injector(snapshot_id + "/restore");
    for (const auto& channel : record->channels) {
      const std::vector<Frame> frames = read_pcap(channel.file);
      const SlicePort& port = port_now(slice, channel);
      result.frames_injected += channel.at_receiver ? injector.deliver(port.netns, port.device, frames)
                                                    : injector.inject(port.netns, bridge_of(slice, port), frames);
    }
  }
  report(progress, "resume", 0.9);
  for (const auto& image : record->nodes) node_named(slice, image.node).driver->resume(image.node);
  result.restore_ms = ms_since(start);
  report(progress, "done", 1.0);
  log->info("event=restore_done id={} slice={} ms={:.1f} frames_injected={}", snapshot_id, log_value(slice.slice_urn),
            result.restore_ms, result.frames_injected);
  return result;
}

std::vector<SnapshotRecord> SliceSnapshotter::list(const std::string& slice_urn) {
  return store_.read([&](store::Transaction& tx) { return snapshot_store::list(tx, slice_urn); });
}

std::optional<SnapshotRecord> SliceSnapshotter::describe(const std::string& snapshot_id) {
  return store_.read([&](store::Transaction& tx) { return snapshot_store::find(tx, snapshot_id); });
}

void SliceSnapshotter::remove(const std::string& snapshot_id) {
  const auto record = describe(snapshot_id);
  if (!record) throw GeniError(GeniCode::kSearchFailed, "no snapshot " + snapshot_id);
  store_.transaction([&](store::Transaction& tx) { snapshot_store::erase(tx, snapshot_id); });
  std::filesystem::remove_all(record->directory);
  logger("snapshot")->info("event=snapshot_deleted id={}", snapshot_id);
}

}  // namespace federa::snapshot
