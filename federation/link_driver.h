// The link driver: every link of a slice is its own L2 segment. On each host the link touches
// it makes one Linux bridge; hosts are joined by a VXLAN port (VNI from the mapper's tag, see
// segment_plan.h) over the host's underlay, or by an 802.1Q port on the host's trunk where the
// kernel has VLAN support. Links of different slices never share a bridge or a VNI/tag, so their
// frames never meet. Nodes join as ports on the bridge: a veth into a network namespace, or the
// tap libvirt makes for a VM (vm_port). Every port's ingress is the point federa controls: cut()
// drops the link's frames there (nftables netdev), reopen() lifts it and says how many it dropped.
// Every device is named by backend_names, so destroy() and the sweep find them all.
#pragma once

#include "federation/net_capabilities.h"
#include "federation/node_driver.h"

#include <cstdint>
#include <string>
#include <vector>

namespace federa::federation {

// A host as the link driver sees it.
struct HostNetwork {
  std::string host;              // the host's URN (part of every device name)
  std::string netns;             // network namespace of its devices; "" = the host's own
  std::string underlay_device;   // interface towards other hosts (VXLAN) or the trunk (802.1Q)
  std::string underlay_address;  // this host's IP on it (VXLAN local/remote)
};

enum class Transport { kVxlan, kVlan };

struct SegmentSpec {
  std::string slice_urn;
  std::string link_id;  // the link's client_id
  Transport transport = Transport::kVxlan;
  int vni = 0;          // VXLAN network identifier (Transport::kVxlan)
  int vlan_tag = 0;     // 802.1Q tag on the trunk (Transport::kVlan)
  std::vector<HostNetwork> hosts;  // one (host-local link) or two
};

class LinkDriver {
 public:
  explicit LinkDriver(NetCapabilities capabilities);

  // Makes the bridge and the inter-host port on every host of the segment. Throws
  // GeniError(kUnsupported) when the transport is missing here, kServerError if a host refuses.
  void create_segment(const SegmentSpec& segment);
  // Makes the segment as `segment` says on hosts where it is partly there or was different (a
  // node moved): a missing bridge is created, an existing one is kept with its ports, and the
  // inter-host port is made anew (its VNI and remote may have changed). Ports are not touched.
  void ensure_segment(const SegmentSpec& segment);
  // Removes everything create_segment and attach_namespace made (and a cut). Idempotent.
  void destroy_segment(const SegmentSpec& segment);

  // A node that is a network namespace: a veth whose node end is `ifname` with `address`
  // (CIDR) and the segment's MTU, and whose host end is a port of the bridge on `host`.
  void attach_namespace(const SegmentSpec& segment, const HostNetwork& host, const std::string& node,
                        const std::string& node_netns, const std::string& ifname,
                        const std::string& address);
  // The port a VM on `host` gets (NodeSpec::ports); libvirt creates the tap on the bridge.
  NodePort vm_port(const SegmentSpec& segment, const HostNetwork& host, const std::string& node,
                   const std::string& address) const;

  // Drops every frame entering the link's bridge on every host, from nodes and from the wire.
  void cut(const SegmentSpec& segment);
  // Lifts the cut; returns the frames it dropped.
  std::uint64_t reopen(const SegmentSpec& segment);

  // True while the link is cut on any of its hosts.
  bool is_cut(const SegmentSpec& segment) const;

  static std::string bridge_name(const SegmentSpec& segment, const HostNetwork& host);
  // True if a frame keeps its packet mark from one host of the segment to the other: VXLAN
  // ports are made with the Group Policy extension (`gbp`), which carries the mark's low 16
  // bits in the VXLAN header (a live snapshot colours frames with it). A host-local segment
  // keeps marks anyway; a tunnel made before federa used `gbp` does not.
  static bool carries_marks(const SegmentSpec& segment);
  // The devices create_segment makes on `host` (bridge, and the inter-host port if any) and the
  // nftables table cut() makes there: what a sweep must keep while the link lives.
  static std::vector<std::string> device_names(const SegmentSpec& segment, const HostNetwork& host);
  static std::string cut_table(const SegmentSpec& segment, const HostNetwork& host);
  // The MTU nodes on the segment must use (the underlay's minus VXLAN's 50 bytes).
  int mtu(const SegmentSpec& segment, const HostNetwork& host) const;

 private:
  NetCapabilities capabilities_;
};

}  // namespace federa::federation
