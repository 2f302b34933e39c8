#include "snapshot/frame_injector.h"

#include "snapshot/packet_socket.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"

#include "common/geni_error.h"

#include <chrono>
#include <thread>

namespace federa::snapshot {
namespace {

// The most a new injection port is waited for to forward (it does within milliseconds; the
// kernel's link watch runs on a work queue, later under load).
constexpr auto kForwardingWait = std::chrono::seconds(5);

// Frames sent before the bridge forwards on `port` are dropped there.
void await_forwarding(const std::string& netns, const std::string& port) {
  const auto deadline = std::chrono::steady_clock::now() + kForwardingWait;
  while (federation::bridge_port_state(netns, port) != "forwarding") {
    if (std::chrono::steady_clock::now() > deadline) {
      throw GeniError(GeniCode::kServerError, "frame injection port " + port + " on bridge never began forwarding");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

FrameInjector::FrameInjector(std::string tag) : tag_(std::move(tag)) {}

FrameInjector::~FrameInjector() {
  ports_.clear();
  // Frames sent last may still be in the veth's backlog; let the bridge take them first.
  if (!devices_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (const auto& [netns, device] : devices_) federation::delete_links(netns, {device});
}

PacketSocket& FrameInjector::port(const std::string& netns, const std::string& bridge) {
  auto& socket = ports_[{netns, bridge}];
  if (socket) return *socket;
  using federation::DeviceKind;
  const std::string inside = federation::device_name(DeviceKind::kCapture, tag_, bridge, "inject");
  const std::string outside = federation::device_name(DeviceKind::kCapture, tag_, bridge, "source");
  federation::run_checked(
      federation::ip_command(netns, {"-batch", "-"}),
      "link add " + inside + " mtu 65000 type veth peer name " + outside + " mtu 65000\n" + "link set " +
          inside + " addrgenmode none\nlink set " + outside + " addrgenmode none\nlink set " + inside +
          " master " + bridge + "\nlink set " + inside + " type bridge_slave learning off\nlink set " + inside +
          " up\nlink set " + outside + " up\n");
  devices_.emplace_back(netns, inside);
  await_forwarding(netns, inside);
  socket = std::make_unique<PacketSocket>(netns, outside);
  return *socket;
}

std::size_t FrameInjector::inject(const std::string& netns, const std::string& bridge,
                                  const std::vector<Frame>& frames) {
  if (frames.empty()) return 0;
  PacketSocket& socket = port(netns, bridge);
  for (const Frame& frame : frames) socket.send(frame.bytes);
  return frames.size();
}

std::size_t FrameInjector::deliver(const std::string& netns, const std::string& device,
                                   const std::vector<Frame>& frames) {
  if (frames.empty()) return 0;
  PacketSocket out(netns, device);
  for (const Frame& frame : frames) out.send(frame.bytes);
  return frames.size();
}

}  // namespace federa::snapshot
