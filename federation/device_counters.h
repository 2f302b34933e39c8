// Traffic counters of one network device, read with `ip [-n <netns>] -s -json link show dev <d>`
// (iproute2's 64-bit stats), for the operational monitoring of link slivers. nullopt when the
// namespace or device does not exist, or ip answers something without stats64; never throws
// for those (a link torn down between listing and reading is normal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace federa::federation {

struct DeviceCounters {
  std::uint64_t rx_bytes = 0, tx_bytes = 0, rx_packets = 0, tx_packets = 0;
};

// netns "" = the host's own namespace.
std::optional<DeviceCounters> device_counters(const std::string& netns, const std::string& device);

}  // namespace federa::federation
