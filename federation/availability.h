// What is free now, for the advertisement: per host the capacity left and whether it can take a
// new sliver (geni_available), per site switch and inter-site link the bandwidth left and the VLAN
// tags free (vlanRangeAvailability, as a VlanSet whose format() is the advertised range text).
#pragma once

#include "federation/inventory.h"
#include "federation/usage.h"

#include <cstdint>
#include <vector>

namespace federa::federation {

struct HostAvailability {
  int vcpus = 0;
  std::int64_t memory_mb = 0;
  std::int64_t disk_gb = 0;
  int slots = 0;
  std::int64_t uplink_kbps = 0;
  bool available = false;  // not drained, a slot free and no exclusive sliver on it

  static HostAvailability of(const Host& host, const HostUsage& used);
  bool fits(const NodeDemand& demand, const Host& host) const;
  // Take and give back one node's demand (give_back exactly undoes take).
  void take(const NodeDemand& demand);
  void give_back(const NodeDemand& demand, const Host& host);
};

struct SegmentAvailability {
  std::int64_t bandwidth_kbps = 0;  // on a site switch: unlimited (INT64_MAX)
  VlanSet vlans;
};

struct Availability {
  std::vector<HostAvailability> hosts;  // same indexes as Inventory::hosts()
  std::vector<SegmentAvailability> site_switches;  // same indexes as Inventory::sites()
  std::vector<SegmentAvailability> links;          // same indexes as Inventory::links()
};

Availability availability(const Inventory& inventory, const Usage& usage);

}  // namespace federa::federation
