// The network side of a live slice snapshot: Mattern's colouring done at the ports federa
// controls, with the guests unmodified (GENI-VIOLIN's division of labour). A node is white until
// its snapshot point and red after; a frame takes its sender's colour as it leaves the sender's
// port (an nftables mark set at the port's ingress, carried between hosts in VXLAN's Group
// Policy field, LinkDriver::carries_marks). At each port's egress, towards its node:
//   * while the node is white, a red frame is held (dropped and kept): it must not be received
//     before the node's snapshot point. As in Mattern's algorithm, the first such frame forces
//     the node to its snapshot point: `force(node)` is called (the coordinator pauses the node,
//     which QEMU then snapshots paused), so red frames wait for the pause, not for the node's
//     own last memory pass. Every other frame is delivered and kept aside, because it may still
//     wait in the tap's queue when the node stops;
//   * at the start every frame towards a node is held until its reader has emptied its queue (its
//     count of frames taken stops moving), so that count and the frames delivered from then on
//     tell at any moment how many wait in the queue (libvirt gives taps no qdisc to count them);
//   * mark(node), called at the node's snapshot point while it is stopped: its frames turn red
//     and every frame towards it is held until the tap's count of frames taken is known. A
//     stopped QEMU still takes one frame from its tap and keeps it outside the image
//     (NodeDriver::keeps_a_frame_when_stopped), so a probe frame (to no one) is sent towards the
//     node and the count watched until it moves. finish() decides with QEMU's stamps (NodeStop):
//     a guest its own copy stopped and marked before the copy ended took nothing since the stop
//     (QEMU's main loop waits for the copy); otherwise, if the count moved before the resume the
//     reader took one more frame (the probe, or the first still waiting) and keeps it outside
//     the image, and if only after, a reader that keeps a frame kept the last one it took before
//     the mark. The frames delivered since the start minus those
//     in the image are in flight across the cut (the last that many). Then the port lets
//     frames through again, delivers what it held (in order), and from then on keeps the white
//     frames reaching the node: they too are in flight across the cut.
// finish(), once every node is marked, removes the rules and returns each port's channel state
// (the frames in flight towards that node at its snapshot point) and how long frames were held.
// A LiveCut destroyed unfinished (a failed snapshot) removes its rules and delivers what it
// still holds. Tables are fd_<hash> and devices fdc-<hash>, for the startup sweep.
#pragma once

#include "snapshot/capture_port.h"
#include "snapshot/channel_cut.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace federa::snapshot {

class NamespaceControl;

// What a node's live snapshot saw of its guest's stop (federation::JobStats; 0: unknown).
struct NodeStop {
  // QEMU's stamps (now_us() clock): the guest's STOP, the end of the copy, the guest's RESUME.
  std::int64_t stopped_us = 0, copy_ended_us = 0, resumed_us = 0;
};

struct LiveCutResult {
  std::vector<ChannelRecording> channels;  // one per port; `at` is the receiving node's port
  std::uint64_t frames_held = 0;           // red frames that waited for their receiver's cut
  double longest_hold_ms = 0;              // the longest such wait
};

class LiveCut {
 public:
  using Force = std::function<void(const std::string& node)>;

  // `force` runs on a thread of its own, at most once per node, never after the node's mark.
  LiveCut(const std::string& tag, std::vector<CutPort> ports, Force force = {});
  ~LiveCut();
  LiveCut(const LiveCut&) = delete;
  LiveCut& operator=(const LiveCut&) = delete;

  // The node's snapshot point. Thread-safe; once per node.
  void mark(const std::string& node);
  // Waits for force(node) if it was called; true if it was.
  bool forced(const std::string& node);
  // `stops`: each node's stop around its snapshot point (absent for a node whose reader never
  // stops), which tells what its reader took into the image (mark()). Throws
  // GeniError(kServerError) if a node was never marked.
  LiveCutResult finish(const std::map<std::string, NodeStop>& stops = {});

 private:
  struct Port;
  void install();
  void settle();
  void wait_for_probes(const std::vector<Port*>& mine, NamespaceControl& control);
  std::uint64_t taken_into_image(const Port& port, const NodeStop& stop, bool forced) const;
  void release(Port& port, const std::map<std::string, std::uint64_t>& counted);
  std::map<std::string, std::uint64_t> counts(const std::string& netns);
  void deliver_held(Port& port, const std::vector<Frame>& held);
  void remove_tables();
  void force_once(const std::string& node);
  void join_all();

  std::string tag_;
  std::vector<std::unique_ptr<Port>> ports_;
  std::map<std::string, std::unique_ptr<NamespaceControl>> controls_;  // per host namespace
  Force force_;
  std::mutex mutex_;  // guards the hold figures, `releases_`, `forcing_` and `marking_`
  std::vector<std::thread> releases_;
  std::map<std::string, std::thread> forcing_;
  std::set<std::string> marking_;  // nodes whose mark has begun
  std::uint64_t frames_held_ = 0;
  double longest_hold_ms_ = 0;
  bool finished_ = false;
  bool closing_ = false;
};

}  // namespace federa::snapshot
