// What current reservations already take from the substrate, keyed by URN so the AM can build it
// from its store: per host the resources of its slivers and uplink bandwidth; per segment (a
// site switch by the site's URN, an inter-site link by its URN) bandwidth and VLAN tags in use.
// add/remove apply a Placement, so usage can follow allocations and deletions.
#pragma once

#include "federation/placement.h"
#include "common/vlan_set.h"

#include <cstdint>
#include <map>
#include <string>

namespace federa::federation {

struct HostUsage {
  int vcpus = 0;
  std::int64_t memory_mb = 0;
  std::int64_t disk_gb = 0;
  int slivers = 0;
  int exclusive_slivers = 0;
  std::int64_t uplink_kbps = 0;

  bool operator==(const HostUsage&) const = default;
};

struct SegmentUsage {
  std::int64_t bandwidth_kbps = 0;
  VlanSet tags;

  bool operator==(const SegmentUsage&) const = default;
};

struct Usage {
  std::map<std::string, HostUsage, std::less<>> hosts;
  std::map<std::string, SegmentUsage, std::less<>> segments;

  void add(const Placement& placement);
  // Takes back exactly what add() took; empty entries are dropped.
  void remove(const Placement& placement);
};

}  // namespace federa::federation
