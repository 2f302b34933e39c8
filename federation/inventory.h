// The aggregate's substrate as the operator configured it: sites (each with one switch joining its
// hosts), hosts (capacity, what slivers they offer, the backend URI that runs them) and inter-site
// links (bandwidth, latency, VLAN range, tag translation). An Inventory is immutable once built;
// its constructor validates cross references and indexes URNs, so a const snapshot can be shared
// by every request in flight (see InventoryHolder for reload and drain).
#pragma once

#include "common/vlan_set.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace federa::federation {

// A configuration problem: the message names the file, the key and what is wrong with it.
class InventoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Location {
  std::string country;
  double latitude = 0;
  double longitude = 0;
};

// The switch that joins a site's hosts. Intra-site links get a tag from `vlans`; a circuit that
// crosses the site uses one of these tags too (changed at the inter-site port only if translation
// is allowed on either side).
struct SiteSwitch {
  VlanSet vlans;
  bool translation = false;
};

struct Site {
  std::string name;
  std::string authority;  // e.g. "utah.example.net"
  std::string urn;        // component manager id: urn:publicid:IDN+<authority>+authority+cm
  std::optional<Location> location;
  SiteSwitch site_switch;
  std::vector<int> hosts;  // indexes into Inventory::hosts(), filled by the Inventory
};

// Where a host's slice-link devices live and how it reaches other hosts (docs/inventory.md,
// [site.host.network]); a host without one has no real links (only test:// hosts may).
struct HostNetworkConfig {
  std::string netns;     // network namespace of its bridges; "" = the host's own
  std::string underlay;  // device towards other hosts (VXLAN) or its trunk (802.1Q)
  std::string address;   // its IP on the underlay
};

struct Host {
  std::string name;
  std::string urn;  // component id: urn:publicid:IDN+<authority>+node+<name>
  int site = -1;    // index into Inventory::sites()
  std::string backend;  // node driver URI, e.g. "qemu:///system", "test:///default"
  int vcpus = 0;
  std::int64_t memory_mb = 0;
  std::int64_t disk_gb = 0;
  int slots = 0;  // most slivers at once
  std::int64_t uplink_kbps = 0;  // port to the site switch
  std::vector<std::string> hardware_types;
  std::vector<std::string> sliver_types;
  std::vector<std::string> images;  // empty = any image the backend accepts
  bool drained = false;  // set by InventoryHolder, never from the file
  std::optional<HostNetworkConfig> network;
  std::string migration_uri;  // how other hosts' libvirtds reach this one (live migration); "" = backend

  bool offers(std::string_view sliver_type, std::string_view image,
              std::string_view hardware_type) const;
};

struct InterSiteLink {
  std::string name;
  std::string urn;  // urn:publicid:IDN+<authority of site_a>+link+<name>
  int site_a = -1;
  int site_b = -1;
  std::int64_t bandwidth_kbps = 0;
  double latency_ms = 0;
  VlanSet vlans;
  bool translation = false;

  int other_end(int site) const { return site == site_a ? site_b : site_a; }
};

class Inventory {
 public:
  Inventory() = default;
  // Validates (unique names and URNs, sites of hosts and links exist, positive capacities) and
  // indexes; throws InventoryError. Host::site and InterSiteLink::site_a/b must be indexes.
  Inventory(std::vector<Site> sites, std::vector<Host> hosts, std::vector<InterSiteLink> links);

  const std::vector<Site>& sites() const { return sites_; }
  const std::vector<Host>& hosts() const { return hosts_; }
  const std::vector<InterSiteLink>& links() const { return links_; }
  // Inter-site links touching a site, as indexes into links().
  const std::vector<int>& links_at(int site) const { return links_at_[site]; }

  std::optional<int> find_site(std::string_view urn) const;
  std::optional<int> find_host(std::string_view urn) const;
  std::optional<int> find_link(std::string_view urn) const;

  // The same inventory with Host::drained set exactly for the hosts whose URN is listed.
  Inventory with_drained(const std::vector<std::string>& drained_urns) const;

 private:
  std::vector<Site> sites_;
  std::vector<Host> hosts_;
  std::vector<InterSiteLink> links_;
  std::vector<std::vector<int>> links_at_;
  std::unordered_map<std::string, int> site_by_urn_;
  std::unordered_map<std::string, int> host_by_urn_;
  std::unordered_map<std::string, int> link_by_urn_;
};

std::string site_urn(std::string_view authority);
std::string host_urn(std::string_view authority, std::string_view name);
std::string link_urn(std::string_view authority, std::string_view name);

// Parses the TOML inventory format (docs/inventory.md); `source` names the file in errors.
Inventory parse_inventory(std::string_view toml_text, std::string_view source);
Inventory load_inventory(const std::filesystem::path& file);

}  // namespace federa::federation
