#include "snapshot/packet_socket.h"

#include "common/geni_error.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace federa::snapshot {
namespace {

constexpr std::size_t kMaxFrame = 65536;

// struct virtio_net_hdr of <linux/virtio_net.h>, which does not compile as C++ (a member named
// "class"); PACKET_VNET_HDR puts it before every frame.
struct VnetHeader {
  std::uint8_t flags = 0, gso_type = 0;
  std::uint16_t header_length = 0, gso_size = 0, csum_start = 0, csum_offset = 0;
};
static_assert(sizeof(VnetHeader) == 10);
constexpr std::uint8_t kNeedsChecksum = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM

// The kernel leaves the TCP/UDP checksum of a locally sent frame to the device (veth, tap:
// CHECKSUM_PARTIAL); the virtio header says where it goes. Completed here as the kernel's
// skb_checksum_help would, so a recorded frame is valid on any wire and in any pcap reader.
void complete_checksum(const VnetHeader& header, std::string& frame) {
  if (!(header.flags & kNeedsChecksum)) return;
  const std::size_t start = header.csum_start, field = start + header.csum_offset;
  if (field + 2 > frame.size()) return;
  const auto* bytes = reinterpret_cast<const unsigned char*>(frame.data());
  std::uint32_t sum = 0;
  for (std::size_t i = start; i < frame.size(); i += 2) {
    sum += static_cast<std::uint32_t>(bytes[i] << 8) | (i + 1 < frame.size() ? bytes[i + 1] : 0);
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  const auto checksum = static_cast<std::uint16_t>(~sum);
  frame[field] = static_cast<char>(checksum >> 8);
  frame[field + 1] = static_cast<char>(checksum & 0xff);
}

[[noreturn]] void fail(const std::string& what) {
  throw GeniError(GeniCode::kServerError, what + ": " + std::strerror(errno));
}

// Protocol 0 until bound, so no frame of another device is queued before bind (and for ever if
// it only sends).
int open_bound(const std::string& device, std::optional<std::uint32_t> send_mark) {
  const int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("cannot open a packet socket");
  const int on = 1;
  setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof on);
  if (send_mark) {
    setsockopt(fd, SOL_SOCKET, SO_MARK, &*send_mark, sizeof *send_mark);
  } else {
    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on);
    const int buffer = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer);
  }
  sockaddr_ll at{};
  at.sll_family = AF_PACKET;
  at.sll_protocol = send_mark ? 0 : htons(ETH_P_ALL);
  at.sll_ifindex = static_cast<int>(if_nametoindex(device.c_str()));
  if (at.sll_ifindex == 0 || bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    fail("cannot bind a packet socket to " + device);
  }
  return fd;
}

}  // namespace

PacketSocket::PacketSocket(const std::string& netns, const std::string& device,
                           std::optional<std::uint32_t> send_mark)
    : device_(device) {
  if (netns.empty()) {
    fd_ = open_bound(device, send_mark);
    return;
  }
  std::exception_ptr failure;
  std::thread([&] {
    try {
      const int ns = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || setns(ns, CLONE_NEWNET) != 0) fail("cannot enter network namespace " + netns);
      ::close(ns);
      fd_ = open_bound(device, send_mark);
    } catch (...) {
      failure = std::current_exception();
    }
  }).join();
  if (failure) std::rethrow_exception(failure);
}

PacketSocket::~PacketSocket() { ::close(fd_); }

std::optional<std::string> PacketSocket::receive(std::chrono::milliseconds timeout) {
  pollfd ready{fd_, POLLIN, 0};
  if (poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  VnetHeader header;
  std::string frame(kMaxFrame, '\0');
  iovec parts[2] = {{&header, sizeof header}, {frame.data(), frame.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = 2;
  const ssize_t n = recvmsg(fd_, &message, MSG_DONTWAIT);
  if (n < static_cast<ssize_t>(sizeof header)) return std::nullopt;
  frame.resize(static_cast<std::size_t>(n) - sizeof header);
  complete_checksum(header, frame);
  return frame;
}

void PacketSocket::send(std::string_view frame) {
  VnetHeader header;  // a complete frame: no checksum or segmentation left to do
  iovec parts[2] = {{&header, sizeof header}, {const_cast<char*>(frame.data()), frame.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = 2;
  if (sendmsg(fd_, &message, 0) != static_cast<ssize_t>(sizeof header + frame.size())) {
    fail("cannot send a " + std::to_string(frame.size()) + "-byte frame on " + device_);
  }
}

}  // namespace federa::snapshot
