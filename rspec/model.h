// The typed model of a GENI RSpec v3 document. One model serves the three kinds (advertisement,
// request, manifest) because the schemas share their shape; each field says in which kind it
// matters, and the writer emits only the attributes the target kind's schema allows. Strings are
// empty when the attribute is absent. Elements of unknown extensions are kept verbatim as
// Extension fragments on the element they appeared in, so a manifest can echo them.
#pragma once

#include "common/rfc3339.h"
#include "rspec/emulab.h"
#include "rspec/opstate.h"
#include "rspec/stitching.h"
#include "rspec/user_keys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::rspec {

enum class Kind { kAdvertisement, kRequest, kManifest };

// The value of the root's type attribute: "advertisement", "request", "manifest".
std::string_view kind_name(Kind kind);

// An element of an extension federa does not interpret: the serialized element, self-contained
// (it declares every namespace it uses), re-emitted as is by the writers.
struct Extension {
  std::string namespace_uri;
  std::string name;  // local name
  std::string xml;
};
using Extensions = std::vector<Extension>;

struct DiskImage {
  std::string name;  // URN or URL
  std::string os;
  std::string version;
  std::string description;
  bool is_default = false;  // advertisement: the image used when a request names none
};

struct SliverType {
  std::string name;  // e.g. raw-pc, emulab-xen
  std::vector<DiskImage> disk_images;
  std::optional<XenSettings> xen;  // emulab:xen
  Extensions extensions;
};

struct HardwareType {
  std::string name;
  Extensions extensions;  // e.g. emulab:node_type type_slots
};

struct Location {
  std::string country;
  std::string longitude;
  std::string latitude;
};

struct Ip {
  std::string address;
  std::string netmask;
  std::string type;  // ipv4 | ipv6
};

struct Interface {
  std::string client_id;     // request, manifest
  std::string component_id;  // advertisement, manifest
  std::string component_name;  // advertisement
  std::string role;            // advertisement: control | experimental
  std::string public_ipv4;     // advertisement
  std::string sliver_id;       // manifest
  std::string mac_address;     // manifest
  std::vector<Ip> ips;
  Extensions extensions;
};

struct LoginService {
  std::string authentication = "ssh-keys";
  std::string hostname;
  std::optional<std::uint16_t> port;
  std::string username;  // manifest
};

struct InstallService {
  std::string url;
  std::string install_path;
};

struct ExecuteService {
  std::string shell;
  std::string command;
};

struct Services {
  std::vector<LoginService> logins;
  std::vector<InstallService> installs;
  std::vector<ExecuteService> executes;
  std::vector<ServicesUser> users;  // user-keys extension (manifest)
  Extensions extensions;

  bool empty() const {
    return logins.empty() && installs.empty() && executes.empty() && users.empty() &&
           extensions.empty();
  }
};

struct Node {
  std::string client_id;  // request, manifest
  std::string component_id;
  std::string component_manager_id;
  std::string component_name;
  std::string sliver_id;  // manifest
  std::optional<bool> exclusive;
  std::vector<HardwareType> hardware_types;
  std::vector<SliverType> sliver_types;
  std::optional<bool> available_now;  // advertisement
  std::optional<Location> location;
  std::vector<Interface> interfaces;
  Services services;
  std::string host_name;  // manifest: <host name=...>, the node's DNS name
  bool routable_control_ip = false;  // emulab:routable_control_ip
  std::string vnode;                 // manifest: emulab:vnode name
  Extensions extensions;
};

struct InterfaceRef {
  std::string client_id;     // request, manifest
  std::string component_id;  // advertisement, manifest
  std::string sliver_id;     // manifest
};

// Unidirectional properties from one interface to another.
struct LinkProperty {
  std::string source_id;
  std::string dest_id;
  std::optional<std::uint64_t> capacity_kbps;
  std::optional<std::uint64_t> latency_ms;
  std::optional<double> packet_loss;  // fraction, 0..1
};

struct Link {
  std::string client_id;  // request, manifest
  std::string component_id;    // advertisement
  std::string component_name;  // advertisement
  std::string sliver_id;  // manifest
  std::string vlantag;    // manifest: the VLAN carrying the link ("" when none was needed)
  std::string link_type;  // lan, vlan, gre-tunnel, egre-tunnel, ...
  std::vector<std::string> component_managers;  // the aggregates the link's ends are at
  std::vector<InterfaceRef> interface_refs;
  std::vector<LinkProperty> properties;
  std::string shared_vlan;  // shared-vlan extension: name of the shared VLAN to join
  Extensions extensions;
};

// Advertisement: a component at another aggregate this one connects to.
struct ExternalRef {
  std::string component_id;
  std::string component_manager_id;
};

struct RSpec {
  Kind kind = Kind::kRequest;
  std::optional<Timestamp> generated;
  std::string generated_by;
  std::optional<Timestamp> expires;
  std::vector<Node> nodes;
  std::vector<Link> links;
  std::vector<ExternalRef> external_refs;  // advertisement
  std::vector<std::string> shared_vlans;   // advertisement: names of shared VLANs on offer
  std::optional<OpstateMachine> opstate;   // advertisement
  std::optional<StitchingTopology> stitching;
  Extensions extensions;
};

// Lookups by client_id (request, manifest); nullptr when absent.
Node* find_node(RSpec& rspec, std::string_view client_id);
Link* find_link(RSpec& rspec, std::string_view client_id);
Interface* find_interface(RSpec& rspec, std::string_view client_id);

}  // namespace federa::rspec
