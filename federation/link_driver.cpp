#include "federation/link_driver.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"
#include "federation/node_seed.h"

#include "common/geni_error.h"

#include <nlohmann/json.hpp>

#include <regex>

namespace federa::federation {
namespace {

constexpr int kVxlanOverhead = 50;
constexpr int kDefaultMtu = 1500;

std::string uplink_name(const SegmentSpec& segment, const HostNetwork& host) {
  const DeviceKind kind = segment.transport == Transport::kVxlan ? DeviceKind::kVxlan : DeviceKind::kVlan;
  return device_name(kind, segment.slice_urn, segment.link_id, host.host);
}

const HostNetwork& other_end(const SegmentSpec& segment, const HostNetwork& host) {
  return segment.hosts[segment.hosts[0].host == host.host ? 1 : 0];
}

std::string uplink_commands(const SegmentSpec& segment, const HostNetwork& host) {
  const std::string port = uplink_name(segment, host);
  const std::string bridge = LinkDriver::bridge_name(segment, host);
  if (segment.transport == Transport::kVlan) {
    return "link add link " + host.underlay_device + " name " + port + " type vlan id " +
           std::to_string(segment.vlan_tag) + "\nlink set " + port + " master " + bridge + " up\n";
  }
  return "link add " + port + " type vxlan id " + std::to_string(segment.vni) + " local " +
         host.underlay_address + " remote " + other_end(segment, host).underlay_address +
         " dstport 4789 gbp dev " + host.underlay_device + "\nlink set " + port + " master " + bridge + " up\n";
}

bool has_table(const std::string& netns, const std::string& table) {
  const std::string tables = run_nft(netns, {"list", "tables", "netdev"});
  return tables.find("table netdev " + table + "\n") != std::string::npos;
}

}  // namespace

LinkDriver::LinkDriver(NetCapabilities capabilities) : capabilities_(std::move(capabilities)) {}

std::string LinkDriver::bridge_name(const SegmentSpec& segment, const HostNetwork& host) {
  return device_name(DeviceKind::kBridge, segment.slice_urn, segment.link_id, host.host);
}

bool LinkDriver::carries_marks(const SegmentSpec& segment) {
  if (segment.hosts.size() < 2) return true;
  for (const HostNetwork& host : segment.hosts) {
    const auto uplink = link_details(host.netns, uplink_name(segment, host));
    if (uplink.is_null() || !uplink.value("/linkinfo/info_data/gbp"_json_pointer, false)) return false;
  }
  return true;
}

std::string LinkDriver::cut_table(const SegmentSpec& segment, const HostNetwork& host) {
  return cut_table_name(segment.slice_urn, segment.link_id, host.host);
}

std::vector<std::string> LinkDriver::device_names(const SegmentSpec& segment, const HostNetwork& host) {
  std::vector<std::string> names{bridge_name(segment, host)};
  if (segment.hosts.size() == 2) names.push_back(uplink_name(segment, host));
  return names;
}

bool LinkDriver::is_cut(const SegmentSpec& segment) const {
  if (!capabilities_.has(NetFeature::kNftables)) return false;
  for (const auto& host : segment.hosts) {
    if (has_table(host.netns, cut_table(segment, host))) return true;
  }
  return false;
}

int LinkDriver::mtu(const SegmentSpec& segment, const HostNetwork& host) const {
  if (segment.hosts.size() < 2) return kDefaultMtu;
  for (const auto& link : list_links(host.netns)) {
    if (link.name != host.underlay_device) continue;
    return segment.transport == Transport::kVxlan ? link.mtu - kVxlanOverhead : link.mtu;
  }
  throw GeniError(GeniCode::kServerError, "host " + host.host + " has no underlay device '" +
                                              host.underlay_device + "'");
}

void LinkDriver::create_segment(const SegmentSpec& segment) {
  capabilities_.require(NetFeature::kBridge);
  if (segment.hosts.empty() || segment.hosts.size() > 2) {
    throw GeniError(GeniCode::kBadArgs, "link " + segment.link_id + " must join one or two hosts");
  }
  if (segment.hosts.size() == 2) {
    capabilities_.require(segment.transport == Transport::kVxlan ? NetFeature::kVxlan : NetFeature::kVlan);
  }
  try {
    for (const auto& host : segment.hosts) {
      const std::string bridge = bridge_name(segment, host);
      std::string batch = "link add " + bridge + " type bridge\nlink set " + bridge + " up\n";
      if (segment.hosts.size() == 2) batch += uplink_commands(segment, host);
      run_checked(ip_command(host.netns, {"-batch", "-"}), batch);
    }
  } catch (const GeniError&) {
    destroy_segment(segment);
    throw;
  }
}

void LinkDriver::ensure_segment(const SegmentSpec& segment) {
  capabilities_.require(NetFeature::kBridge);
  if (segment.hosts.size() == 2) {
    capabilities_.require(segment.transport == Transport::kVxlan ? NetFeature::kVxlan : NetFeature::kVlan);
  }
  for (const auto& host : segment.hosts) {
    const std::string bridge = bridge_name(segment, host);
    const std::string uplink = uplink_name(segment, host);
    bool has_bridge = false, has_uplink = false;
    for (const auto& link : list_links(host.netns)) {
      has_bridge |= link.name == bridge;
      has_uplink |= link.name == uplink;
    }
    std::string batch = has_bridge ? "" : "link add " + bridge + " type bridge\nlink set " + bridge + " up\n";
    if (has_uplink) batch += "link delete dev " + uplink + "\n";
    if (segment.hosts.size() == 2) batch += uplink_commands(segment, host);
    if (!batch.empty()) run_checked(ip_command(host.netns, {"-batch", "-"}), batch);
  }
}

void LinkDriver::attach_namespace(const SegmentSpec& segment, const HostNetwork& host,
                                  const std::string& node, const std::string& node_netns,
                                  const std::string& ifname, const std::string& address) {
  capabilities_.require(NetFeature::kVeth);
  const std::string port = device_name(DeviceKind::kNodeVeth, segment.slice_urn, segment.link_id, node);
  const std::string mtu = std::to_string(this->mtu(segment, host));
  run_checked(ip_command(host.netns, {"-batch", "-"}),
              "link add " + port + " mtu " + mtu + " type veth peer name " + ifname + " mtu " + mtu +
                  " netns " + node_netns + "\nlink set " + port + " master " +
                  bridge_name(segment, host) + " up\n");
  run_checked(ip_command(node_netns, {"-batch", "-"}),
              "link set lo up\nlink set " + ifname + " up\naddr add " + address + " dev " + ifname + "\n");
}

NodePort LinkDriver::vm_port(const SegmentSpec& segment, const HostNetwork& host,
                             const std::string& node, const std::string& address) const {
  const std::string tap = device_name(DeviceKind::kTap, segment.slice_urn, segment.link_id, node);
  return {tap, bridge_name(segment, host), port_mac(tap), address, mtu(segment, host)};
}

void LinkDriver::cut(const SegmentSpec& segment) {
  capabilities_.require(NetFeature::kNftables);
  for (const auto& host : segment.hosts) {
    const std::string bridge = bridge_name(segment, host);
    std::string script = "table netdev " + cut_table(segment, host) + " {\n";
    int chain = 0;
    for (const auto& link : list_links(host.netns)) {
      if (link.master != bridge) continue;
      script += "  chain port" + std::to_string(chain++) + " { type filter hook ingress device \"" +
                link.name + "\" priority 0; policy accept; counter drop; }\n";
    }
    run_nft(host.netns, {"-f", "-"}, script + "}\n");
  }
}

std::uint64_t LinkDriver::reopen(const SegmentSpec& segment) {
  static const std::regex kCounter("counter packets ([0-9]+)");
  std::uint64_t dropped = 0;
  for (const auto& host : segment.hosts) {
    const std::string table = cut_table(segment, host);
    if (!has_table(host.netns, table)) continue;
    const std::string listing = run_nft(host.netns, {"list", "table", "netdev", table});
    for (std::sregex_iterator it(listing.begin(), listing.end(), kCounter), end; it != end; ++it) {
      dropped += std::stoull((*it)[1]);
    }
    run_nft(host.netns, {"delete", "table", "netdev", table});
  }
  return dropped;
}

void LinkDriver::destroy_segment(const SegmentSpec& segment) {
  for (const auto& host : segment.hosts) {
    if (capabilities_.has(NetFeature::kNftables) && has_table(host.netns, cut_table(segment, host))) {
      run_nft(host.netns, {"delete", "table", "netdev", cut_table(segment, host)});
    }
    const std::string bridge = bridge_name(segment, host);
    const std::string uplink = uplink_name(segment, host);
    std::vector<std::string> doomed;
    for (const auto& link : list_links(host.netns)) {
      const bool node_veth = link.master == bridge && is_federa_device(link.name, DeviceKind::kNodeVeth);
      if (node_veth || link.name == uplink || link.name == bridge) doomed.push_back(link.name);
    }
    delete_links(host.netns, doomed);
  }
}

}  // namespace federa::federation
