// What the host kernel offers the link driver, found by trying: each device kind is created in a
// throwaway network namespace (unshare --net), so the probe changes nothing on the host. A
// feature that is missing carries the kernel's own refusal, and require() turns a need for it
// into GeniError(kUnsupported) with a message an operator can act on.
#pragma once

#include <map>
#include <string>

namespace federa::federation {

enum class NetFeature { kBridge, kVeth, kVxlan, kVlan, kNftables };

struct NetCapabilities {
  std::map<NetFeature, std::string> missing;  // feature -> why it is unavailable

  bool has(NetFeature feature) const { return !missing.contains(feature); }
  // Throws GeniError(kUnsupported) naming the feature, the reason and the alternative.
  void require(NetFeature feature) const;
  // One line per feature: "vxlan: available" / "802.1Q VLAN: unavailable (...)".
  std::string summary() const;
};

std::string to_string(NetFeature feature);

// Needs root (CAP_SYS_ADMIN for unshare); without it every feature is missing, saying so.
NetCapabilities probe_net_capabilities();

}  // namespace federa::federation
