// The operational data model shared by the aggregate side (datastore, push) and the NOC collector:
// organization, site (GMOC POP), aggregate, resources (hosts and switches) with interfaces and
// VLANs, circuits, slices, slivers, contacts, metric samples, events, and the append-only binding
// history (who held which host, VLAN, IP or MAC from when to when). Plain values, no behaviour;
// times are UTC microseconds (common/rfc3339.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/rfc3339.h"

namespace federa::gmoc {

struct Contact {
  std::string urn;
  std::string name;
  std::string email;
};

struct Organization {
  std::string name;
  std::string type = "campus";  // GMOC: backbone, campus, meta, rack-vendor, regional
  std::string url;
  Contact primary_contact;
};

// A point of presence: one site of the aggregate.
struct Site {
  std::string name;
  std::string urn;
  std::string country;
  std::optional<double> latitude, longitude;
};

struct AggregateIdentity {
  std::string id;   // DNS-label-like name used in monitoring ids and URLs ("utah-ig")
  std::string urn;  // urn:publicid:IDN+<authority>+authority+am
  std::string am_url;  // where the AM API answers, "" when not known
  Organization organization;
  std::vector<Site> sites;
};

struct Address {
  std::string type;  // "802.3" (MAC), "IPv4", "IPv6"
  std::string value;
};

struct Interface {
  std::string name;  // unique on its resource: "eth0", a host name on a switch, a link name
  std::string urn;
  std::string role = "experimental";  // experimental, control, stub
  std::int64_t max_bps = 0;
  std::vector<Address> addresses;
  std::vector<int> vlans;  // tags in use on this interface now
};

enum class ResourceType { kServer, kSwitch };

// A host or a site switch.
struct Resource {
  std::string name;  // unique in the aggregate
  std::string urn;
  ResourceType type = ResourceType::kServer;
  std::string site_urn;
  std::int64_t memory_kb = 0;
  bool available = true;
  std::vector<Interface> interfaces;
};

struct Endpoint {
  std::string resource;   // Resource::name
  std::string interface;  // Interface::name
};

// An inter-site link, or a link sliver's path between two hosts.
struct Circuit {
  std::string name;  // unique in the aggregate
  std::string urn;
  std::int64_t capacity_kbps = 0;
  std::vector<Endpoint> endpoints;
  std::vector<int> vlans;
};

struct Topology {
  std::vector<Resource> resources;
  std::vector<Circuit> circuits;
};

struct Slice {
  std::string urn;
  Timestamp expires{};
  bool shutdown = false;
  std::vector<std::string> users;  // URNs of the users whose keys the slice carries
};

enum class SliverKind { kNode, kLink };

struct Sliver {
  std::string urn;
  std::string slice_urn;
  std::string client_id;
  SliverKind kind = SliverKind::kNode;
  std::string allocation_state;   // AM API v3 names
  std::string operational_state;
  Timestamp created{}, expires{};
  std::string resource;  // node: the host's Resource::name; link: the Circuit::name ("" if host-local)
  std::string resource_urn;
};

enum class BindingKind { kHost, kVlan, kIp, kMac };
const char* to_string(BindingKind kind);
std::optional<BindingKind> binding_kind_from(const std::string& text);

// What a sliver held, from when until when (nullopt: still holds it).
struct Binding {
  BindingKind kind = BindingKind::kHost;
  std::string value;     // host URN, VLAN tag, IP address, MAC address
  std::string resource;  // where: the segment of a VLAN tag, the interface of an address
  std::string slice_urn;
  std::string sliver_urn;
  std::vector<std::string> users;
  Timestamp from{};
  std::optional<Timestamp> until;
};

struct Event {
  std::int64_t id = 0;
  Timestamp at{};
  std::string slice_urn, sliver_urn, kind, detail;
};

// One value of a metric (GENI monitoring eventType without its "ops_monitoring:" prefix).
struct Sample {
  std::string object_type;  // aggregate, node, interface, interfacevlan
  std::string object_id;    // the monitoring id (monitoring_json.h)
  std::string metric;       // is_available, num_vms_allocated, mem_used_kb, ...
  Timestamp at{};
  double value = 0;
};

}  // namespace federa::gmoc
