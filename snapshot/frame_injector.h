// Puts recorded channel frames back on their links: each (namespace, bridge) gets an injection
// veth whose bridge end has MAC learning off (the frames carry their sender's source MAC, which
// must stay learnt on the sender's own port), and the frames are sent into it in recorded order,
// so the bridge forwards them to their receivers, across VXLAN if need be. Receivers that are
// paused queue them in their taps and read them when resumed. The devices (fdc-<hash>) live
// until the injector is destroyed.
#pragma once

#include "snapshot/frame_log.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace federa::snapshot {

class PacketSocket;

class FrameInjector {
 public:
  // `tag` makes the device names unique to one snapshot or restore.
  explicit FrameInjector(std::string tag);
  ~FrameInjector();
  FrameInjector(const FrameInjector&) = delete;
  FrameInjector& operator=(const FrameInjector&) = delete;

  // Returns the number of frames sent. Throws GeniError(kServerError) if the kernel refuses one.
  std::size_t inject(const std::string& netns, const std::string& bridge, const std::vector<Frame>& frames);
  // Sends the frames out of `device` (a node's tap or veth host end): to that node alone.
  static std::size_t deliver(const std::string& netns, const std::string& device, const std::vector<Frame>& frames);

 private:
  PacketSocket& port(const std::string& netns, const std::string& bridge);

  std::string tag_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<PacketSocket>> ports_;
  std::vector<std::pair<std::string, std::string>> devices_;  // (netns, bridge end)
};

}  // namespace federa::snapshot
