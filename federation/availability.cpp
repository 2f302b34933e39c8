#include "federation/availability.h"

#include <algorithm>
#include <limits>

namespace federa::federation {
namespace {

template <typename Map>
const typename Map::mapped_type& find_or_empty(const Map& map, const std::string& key) {
  static const typename Map::mapped_type kEmpty{};
  const auto it = map.find(key);
  return it == map.end() ? kEmpty : it->second;
}

}  // namespace

HostAvailability HostAvailability::of(const Host& host, const HostUsage& used) {
  HostAvailability free;
  free.vcpus = std::max(0, host.vcpus - used.vcpus);
  free.memory_mb = std::max<std::int64_t>(0, host.memory_mb - used.memory_mb);
  free.disk_gb = std::max<std::int64_t>(0, host.disk_gb - used.disk_gb);
  free.slots = std::max(0, host.slots - used.slivers);
  free.uplink_kbps = std::max<std::int64_t>(0, host.uplink_kbps - used.uplink_kbps);
  free.available = !host.drained && free.slots > 0 && used.exclusive_slivers == 0;
  return free;
}

bool HostAvailability::fits(const NodeDemand& demand, const Host& host) const {
  if (!available || demand.vcpus > vcpus || demand.memory_mb > memory_mb ||
      demand.disk_gb > disk_gb) {
    return false;
  }
  return !demand.exclusive || slots == host.slots;
}

void HostAvailability::take(const NodeDemand& demand) {
  vcpus -= demand.vcpus;
  memory_mb -= demand.memory_mb;
  disk_gb -= demand.disk_gb;
  slots -= 1;
  available = available && slots > 0 && !demand.exclusive;
}

void HostAvailability::give_back(const NodeDemand& demand, const Host& host) {
  vcpus += demand.vcpus;
  memory_mb += demand.memory_mb;
  disk_gb += demand.disk_gb;
  slots += 1;
  available = !host.drained;  // an exclusive sliver is alone, so none is left after either kind
}

Availability availability(const Inventory& inventory, const Usage& usage) {
  Availability result;
  for (const Host& host : inventory.hosts()) {
    result.hosts.push_back(HostAvailability::of(host, find_or_empty(usage.hosts, host.urn)));
  }
  for (const Site& site : inventory.sites()) {
    const SegmentUsage& used = find_or_empty(usage.segments, site.urn);
    result.site_switches.push_back(
        {std::numeric_limits<std::int64_t>::max(), site.site_switch.vlans.subtract(used.tags)});
  }
  for (const InterSiteLink& link : inventory.links()) {
    const SegmentUsage& used = find_or_empty(usage.segments, link.urn);
    result.links.push_back({std::max<std::int64_t>(0, link.bandwidth_kbps - used.bandwidth_kbps),
                            link.vlans.subtract(used.tags)});
  }
  return result;
}

}  // namespace federa::federation
