// What the snapshot coordinator needs to know about a slice, independent of the AM's store: its
// nodes (each with the node driver of its host and its ports on slice links) and its links. A
// port is the device on the host through which the node's frames enter the link (a VM's tap or
// the host end of a namespace node's veth): the point where a snapshot cuts and records.
#pragma once

#include "federation/link_driver.h"
#include "federation/node_driver.h"

#include <string>
#include <vector>

namespace federa::snapshot {

struct SlicePort {
  std::string link_id;  // SegmentSpec::link_id
  std::string device;   // tap (NodePort::tap) or veth host end, in `netns`
  std::string netns;    // the host's namespace (HostNetwork::netns); "" = the root one
};

struct SliceNode {
  std::string name;                   // the node's domain name on its host
  federation::NodeDriver* driver{};   // the host's node driver (not owned)
  std::vector<SlicePort> ports;
};

struct SliceDescription {
  std::string slice_urn;
  std::vector<SliceNode> nodes;
  std::vector<federation::SegmentSpec> links;
};

// The bridge a port is on: its link's bridge on the host whose namespace holds the port.
// Throws GeniError(kBadArgs) if the slice has no such link or the link does not reach that host.
std::string bridge_of(const SliceDescription& slice, const SlicePort& port);

}  // namespace federa::snapshot
