// Where a snapshot's nftables rules send the frames they keep: a veth pair in a host's
// namespace, one end the target of `dup to`, the other read by a PacketSocket on its own
// thread. Frames are kept in arrival order with the time each arrived. stop() ends the reading
// once the pair has been quiet for a while (frames already duplicated are still on their way)
// (or until as many frames came as the rule's counter says it sent) and hands the frames over;
// the destructor stops and deletes the pair. Names are fdc-<hash>
// (backend_names), so the startup sweep removes what a crash left.
#pragma once

#include "snapshot/frame_log.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace federa::snapshot {

class PacketSocket;

// The most a capture is waited for once its rule's counter says how many frames it was sent.
inline constexpr std::chrono::milliseconds kCaptureWait{500};

class CapturePort {
 public:
  // `tag` (the snapshot), `device` (the port recorded) and `role` make the names unique.
  // `first_frame`, if given, is called on the reading thread when the first frame arrives.
  CapturePort(const std::string& tag, const std::string& netns, const std::string& device, const std::string& role,
              std::function<void()> first_frame = {});
  ~CapturePort();
  CapturePort(const CapturePort&) = delete;
  CapturePort& operator=(const CapturePort&) = delete;

  // The device nftables duplicates frames to.
  const std::string& target() const { return dup_; }
  // Stops once `expected` frames have come (a rule's counter says how many it sent) or, short
  // of that, once none came for `quiet`.
  std::vector<Frame> stop(std::chrono::milliseconds quiet = std::chrono::milliseconds(50),
                          std::optional<std::size_t> expected = std::nullopt);

 private:
  void read_until_stopped();

  std::string netns_, dup_, rec_;
  std::unique_ptr<PacketSocket> socket_;
  std::atomic<bool> stopping_{false};
  std::chrono::milliseconds quiet_{50};
  std::optional<std::size_t> expected_;
  std::function<void()> first_frame_;
  std::vector<Frame> frames_;
  std::thread reader_;
};

// The nftables table (netdev family) a snapshot `tag` uses in `netns`: fd_<hash>.
std::string snapshot_table(const std::string& tag, const std::string& netns);

// Deletes that table if it is there; returns its listing before ("" if there was none), where
// the rules' counters can be read.
std::string remove_snapshot_table(const std::string& tag, const std::string& netns);

// The packets each named counter in an nftables listing counted (`counter <name> { packets N ...`).
std::map<std::string, std::uint64_t> named_counters(const std::string& listing);

// The current time in the pcap's unit (microseconds since the Unix epoch).
std::int64_t now_us();

}  // namespace federa::snapshot
