// The cut of a slice snapshot, at the ports federa controls. While it stands, every frame a node
// sends into a slice link is dropped at its port's ingress and copied (nftables netdev
// `dup to`) to a capture veth, whose far end a PacketSocket reads: the frames are the channel
// state, recorded in order (capture_port.h). One nftables table per namespace installs the cut
// atomically there.
// lift() empties the cut's chains, reads how many frames each dropped (named counters, final
// once the chains are empty), waits for the captures to have that many, removes the tables and
// returns each port's frames with that number; a ChannelCut destroyed without lift() (a failed
// snapshot) removes the cut and its devices all the same. Tables are fd_<hash> (backend_names), so the startup sweep
// removes whatever a crash left.
#pragma once

#include "snapshot/capture_port.h"
#include "snapshot/slice.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace federa::snapshot {

struct CutPort {
  std::string node;
  SlicePort port;
  std::string bridge;                       // bridge_of(slice, port)
  bool reader_keeps_a_frame_when_stopped{};  // NodeDriver::keeps_a_frame_when_stopped
};

struct ChannelRecording {
  CutPort at;
  std::vector<Frame> frames;
  std::uint64_t dropped = 0;  // nftables' count of the frames cut; frames.size() unless one was lost
};

class ChannelCut {
 public:
  // `tag` makes device and table names unique to this snapshot.
  ChannelCut(const std::string& tag, std::vector<CutPort> ports);
  ~ChannelCut();
  ChannelCut(const ChannelCut&) = delete;
  ChannelCut& operator=(const ChannelCut&) = delete;

  std::vector<ChannelRecording> lift();

 private:
  void install();
  void remove_tables();

  std::string tag_;
  std::vector<CutPort> ports_;
  std::vector<std::unique_ptr<CapturePort>> captures_;
  std::vector<std::string> namespaces_;
  bool lifted_ = false;
};

// All ports of a slice, with their bridges.
std::vector<CutPort> cut_ports(const SliceDescription& slice);

}  // namespace federa::snapshot
