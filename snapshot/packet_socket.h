// A raw AF_PACKET socket bound to one device of a network namespace: how a snapshot reads the
// frames its nftables cut duplicates to a capture device, and how it re-injects them into a
// link's bridge. Written by hand because no host tool both records with an exact start and end
// under the caller's control and replays frames in order (tcpdump has no readiness signal and
// Debian has no replay tool in the base system); it is ~60 lines over the kernel's own facility.
// The socket is created in `netns` and stays there after the creating thread leaves it.
// Throws GeniError(kServerError) naming the device when the kernel refuses.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace federa::snapshot {

class PacketSocket {
 public:
  // Receives only frames that arrive at `device` (not those it sends). With `send_mark` the
  // socket receives nothing and the frames it sends carry that packet mark (nftables `meta mark`).
  PacketSocket(const std::string& netns, const std::string& device, std::optional<std::uint32_t> send_mark = {});
  ~PacketSocket();
  PacketSocket(const PacketSocket&) = delete;
  PacketSocket& operator=(const PacketSocket&) = delete;

  // One whole frame, or nullopt when none arrived within `timeout`.
  std::optional<std::string> receive(std::chrono::milliseconds timeout);
  // Transmits `frame` (Ethernet header included) out of the device.
  void send(std::string_view frame);

 private:
  std::string device_;
  int fd_ = -1;
};

}  // namespace federa::snapshot
