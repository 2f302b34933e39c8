#include "rspec/parse.h"

#include "common/safe_xml.h"
#include "rspec/extensions_xml.h"
#include "rspec/namespaces.h"
#include "rspec/opstate_xml.h"
#include "rspec/stitching_xml.h"
#include "rspec/xml_reader.h"

#include <limits>
#include <unordered_set>

namespace federa::rspec {
namespace {

constexpr std::uint64_t kMaxPort = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint64_t kMaxQuantity = std::numeric_limits<std::uint64_t>::max();

// Reads one document of an expected kind; strict for requests.
class DocumentParser {
 public:
  DocumentParser(Kind kind, const ParseLimits& limits)
      : kind_(kind), limits_(limits), reader_(kind == Kind::kRequest) {}

  RSpec parse(std::string_view xml);

 private:
  XmlDocument load(std::string_view xml) const;
  void check_root(const xmlNode* root) const;
  void check_counts(const xmlNode* root) const;
  std::optional<Timestamp> time(const xmlNode* element, const char* name) const;

  Node read_node(const xmlNode* element);
  SliverType read_sliver_type(const xmlNode* element) const;
  Interface read_interface(const xmlNode* element);
  Services read_services(const xmlNode* element) const;
  Link read_link(const xmlNode* element);
  LinkProperty read_property(const xmlNode* element) const;
  InterfaceRef read_interface_ref(const xmlNode* element) const;
  void read_root_child(const xmlNode* element, RSpec& rspec);
  // The element's client_id: required except in advertisements; when strict, one seen twice in
  // `seen` is BADARGS.
  std::string client_id(const xmlNode* element, std::unordered_set<std::string>& seen);

  Kind kind_;
  ParseLimits limits_;
  ElementReader reader_;
  std::unordered_set<std::string> node_ids_, interface_ids_, link_ids_;
};

std::string_view root_namespace(const xmlNode* root) {
  return root->ns && root->ns->href ? reinterpret_cast<const char*>(root->ns->href) : "";
}

XmlDocument DocumentParser::load(std::string_view xml) const {
  try {
    return parse_untrusted_xml(xml, {limits_.max_bytes, limits_.max_depth});
  } catch (const XmlError& error) {
    GeniCode code = error.kind() == XmlError::Kind::kTooLarge ? GeniCode::kTooBig : GeniCode::kBadArgs;
    throw GeniError(code, "RSpec rejected at line " + std::to_string(error.line()) + ": " +
                              error.what());
  }
}

void DocumentParser::check_root(const xmlNode* root) const {
  if (xml_name(root) != "rspec") {
    reader_.fail(GeniCode::kBadArgs, root, "the document element must be <rspec>");
  }
  std::string_view ns = root_namespace(root);
  if (ns != kRspecNs) {
    reader_.fail(GeniCode::kBadVersion, root,
                 "namespace '" + std::string(ns) + "' is not GENI RSpec v3 (" +
                     std::string(kRspecNs) + "); only RSpec v3 is supported");
  }
  std::string type = reader_.attribute(root, "type");
  if (type.empty()) {
    if (reader_.strict()) reader_.fail(GeniCode::kBadArgs, root, "missing required attribute type");
    return;
  }
  if (type != kind_name(kind_)) {
    reader_.fail(GeniCode::kBadVersion, root,
                 "type is '" + type + "' where " + std::string(kind_name(kind_)) +
                     " RSpec was expected");
  }
}

void DocumentParser::check_counts(const xmlNode* root) const {
  std::size_t nodes = 0, links = 0;
  for_each_element(root, [&](const xmlNode* child) {
    if (!in_namespace(child, kRspecNs)) return;
    std::size_t* count = xml_name(child) == "node" ? &nodes : xml_name(child) == "link" ? &links : nullptr;
    std::size_t limit = count == &nodes ? limits_.max_nodes : limits_.max_links;
    if (count && ++*count > limit) {
      reader_.fail(GeniCode::kTooBig, child,
                   "more than " + std::to_string(limit) + " <" + std::string(xml_name(child)) +
                       "> elements; this aggregate accepts at most " + std::to_string(limit));
    }
  });
}

std::optional<Timestamp> DocumentParser::time(const xmlNode* element, const char* name) const {
  std::string text = reader_.attribute(element, name);
  if (text.empty()) return std::nullopt;
  auto parsed = parse_rfc3339(text);
  if (!parsed && reader_.strict()) {
    reader_.fail(GeniCode::kBadArgs, element,
                 std::string("attribute ") + name + " is not an RFC 3339 time: '" + text + "'");
  }
  return parsed;
}

std::string DocumentParser::client_id(const xmlNode* element,
                                      std::unordered_set<std::string>& seen) {
  if (kind_ == Kind::kAdvertisement) return reader_.attribute(element, "client_id");
  std::string id = reader_.required(element, "client_id");
  if (reader_.strict() && !seen.insert(id).second) {
    reader_.fail(GeniCode::kBadArgs, element, "client_id '" + id + "' is used twice");
  }
  return id;
}

SliverType DocumentParser::read_sliver_type(const xmlNode* element) const {
  SliverType sliver_type;
  sliver_type.name = reader_.required(element, "name");
  for_each_element(element, [&](const xmlNode* child) {
    if (in_namespace(child, kRspecNs) && xml_name(child) == "disk_image") {
      sliver_type.disk_images.push_back(
          {reader_.required(child, "name"), reader_.attribute(child, "os"),
           reader_.attribute(child, "version"), reader_.attribute(child, "description"),
           reader_.boolean(child, "default").value_or(false)});
    } else if (in_namespace(child, kEmulabNs) && xml_name(child) == "xen") {
      sliver_type.xen = read_xen(reader_, child);
    } else {
      sliver_type.extensions.push_back(reader_.extension(child));
    }
  });
  return sliver_type;
}

Interface DocumentParser::read_interface(const xmlNode* element) {
  Interface interface;
  interface.client_id = client_id(element, interface_ids_);
  interface.component_id = reader_.attribute(element, "component_id");
  interface.component_name = reader_.attribute(element, "component_name");
  interface.role = reader_.attribute(element, "role");
  interface.public_ipv4 = reader_.attribute(element, "public_ipv4");
  interface.sliver_id = reader_.attribute(element, "sliver_id");
  interface.mac_address = reader_.attribute(element, "mac_address");
  for_each_element(element, [&](const xmlNode* child) {
    if (in_namespace(child, kRspecNs) && xml_name(child) == "ip") {
      interface.ips.push_back({reader_.required(child, "address"),
                               reader_.attribute(child, "netmask"), reader_.attribute(child, "type")});
    } else {
      interface.extensions.push_back(reader_.extension(child));
    }
  });
  return interface;
}

Services DocumentParser::read_services(const xmlNode* element) const {
  Services services;
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = in_namespace(child, kRspecNs) ? xml_name(child) : "";
    if (name == "login") {
      LoginService login;
      login.authentication = reader_.required(child, "authentication");
      login.hostname = reader_.attribute(child, "hostname");
      if (auto port = reader_.unsigned_number(child, "port", kMaxPort)) {
        login.port = static_cast<std::uint16_t>(*port);
      }
      login.username = reader_.attribute(child, "username");
      services.logins.push_back(std::move(login));
    } else if (name == "install") {
      services.installs.push_back(
          {reader_.required(child, "url"), reader_.required(child, "install_path")});
    } else if (name == "execute") {
      services.executes.push_back(
          {reader_.required(child, "shell"), reader_.required(child, "command")});
    } else if (is_user_extension(child)) {
      services.users.push_back(read_services_user(reader_, child));
    } else {
      services.extensions.push_back(reader_.extension(child));
    }
  });
  return services;
}

Node DocumentParser::read_node(const xmlNode* element) {
  Node node;
  node.client_id = client_id(element, node_ids_);
  node.component_id = reader_.attribute(element, "component_id");
  node.component_manager_id = reader_.attribute(element, "component_manager_id");
  node.component_name = reader_.attribute(element, "component_name");
  node.sliver_id = reader_.attribute(element, "sliver_id");
  node.exclusive = reader_.boolean(element, "exclusive");
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = in_namespace(child, kRspecNs) ? xml_name(child) : "";
    bool emulab = in_namespace(child, kEmulabNs);
    if (name == "sliver_type") {
      node.sliver_types.push_back(read_sliver_type(child));
    } else if (name == "hardware_type") {
      HardwareType hardware{reader_.attribute(child, "name"), {}};
      for_each_element(child, [&](const xmlNode* part) {
        hardware.extensions.push_back(reader_.extension(part));
      });
      node.hardware_types.push_back(std::move(hardware));
    } else if (name == "available") {
      node.available_now = reader_.boolean(child, "now");
    } else if (name == "location") {
      node.location = Location{reader_.required(child, "country"),
                               reader_.attribute(child, "longitude"),
                               reader_.attribute(child, "latitude")};
    } else if (name == "interface") {
      node.interfaces.push_back(read_interface(child));
    } else if (name == "services") {
      node.services = read_services(child);
    } else if (name == "host") {
      node.host_name = reader_.attribute(child, "name");
    } else if (emulab && xml_name(child) == "routable_control_ip") {
      node.routable_control_ip = true;
    } else if (emulab && xml_name(child) == "vnode") {
      node.vnode = reader_.attribute(child, "name");
    } else {
      node.extensions.push_back(reader_.extension(child));
    }
  });
  return node;
}

LinkProperty DocumentParser::read_property(const xmlNode* element) const {
  return {reader_.required(element, "source_id"), reader_.required(element, "dest_id"),
          reader_.unsigned_number(element, "capacity", kMaxQuantity),
          reader_.unsigned_number(element, "latency", kMaxQuantity),
          reader_.fraction(element, "packet_loss")};
}

InterfaceRef DocumentParser::read_interface_ref(const xmlNode* element) const {
  InterfaceRef ref;
  ref.client_id = kind_ == Kind::kAdvertisement ? reader_.attribute(element, "client_id")
                                                : reader_.required(element, "client_id");
  if (reader_.strict() && !interface_ids_.count(ref.client_id)) {
    reader_.fail(GeniCode::kBadArgs, element,
                 "interface_ref names '" + ref.client_id + "', which no node declares");
  }
  ref.component_id = reader_.attribute(element, "component_id");
  ref.sliver_id = reader_.attribute(element, "sliver_id");
  return ref;
}

Link DocumentParser::read_link(const xmlNode* element) {
  Link link;
  link.client_id = client_id(element, link_ids_);
  link.component_id = reader_.attribute(element, "component_id");
  link.component_name = reader_.attribute(element, "component_name");
  link.sliver_id = reader_.attribute(element, "sliver_id");
  link.vlantag = reader_.attribute(element, "vlantag");
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = in_namespace(child, kRspecNs) ? xml_name(child) : "";
    if (name == "component_manager") {
      link.component_managers.push_back(reader_.required(child, "name"));
    } else if (name == "interface_ref") {
      link.interface_refs.push_back(read_interface_ref(child));
    } else if (name == "property") {
      link.properties.push_back(read_property(child));
    } else if (name == "link_type") {
      link.link_type = reader_.required(child, "name");
    } else if (is_shared_vlan_extension(child)) {
      link.shared_vlan = reader_.required(child, "name");
    } else {
      link.extensions.push_back(reader_.extension(child));
    }
  });
  return link;
}

void DocumentParser::read_root_child(const xmlNode* element, RSpec& rspec) {
  std::string_view name = xml_name(element);
  if (in_namespace(element, kRspecNs) && name == "node") {
    rspec.nodes.push_back(read_node(element));
  } else if (in_namespace(element, kRspecNs) && name == "link") {
    rspec.links.push_back(read_link(element));
  } else if (in_namespace(element, kRspecNs) && name == "external_ref") {
    rspec.external_refs.push_back({reader_.attribute(element, "component_id"),
                                   reader_.attribute(element, "component_manager_id")});
  } else if (in_namespace(element, kStitchNs) && name == "stitching") {
    rspec.stitching = read_stitching(reader_, element);
  } else if (in_namespace(element, kOpstateNs) && name == "rspec_opstate") {
    rspec.opstate = read_opstate(reader_, element);
  } else if (in_namespace(element, kSharedVlanNs) && name == "rspec_shared_vlan") {
    for_each_element(element, [&](const xmlNode* available) {
      rspec.shared_vlans.push_back(reader_.attribute(available, "name"));
    });
  } else {
    rspec.extensions.push_back(reader_.extension(element));
  }
}

RSpec DocumentParser::parse(std::string_view xml) {
  XmlDocument doc = load(xml);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  check_root(root);
  check_counts(root);
  RSpec rspec;
  rspec.kind = kind_;
  rspec.generated = time(root, "generated");
  rspec.generated_by = reader_.attribute(root, "generated_by");
  rspec.expires = time(root, "expires");
  // Nodes first: a request's interface_refs are checked against the interfaces nodes declare.
  for_each_element(root, [&](const xmlNode* child) {
    if (in_namespace(child, kRspecNs) && xml_name(child) == "node") read_root_child(child, rspec);
  });
  for_each_element(root, [&](const xmlNode* child) {
    if (!in_namespace(child, kRspecNs) || xml_name(child) != "node") read_root_child(child, rspec);
  });
  return rspec;
}

}  // namespace

RSpec parse_request(std::string_view xml, const ParseLimits& limits) {
  return DocumentParser(Kind::kRequest, limits).parse(xml);
}

RSpec parse_advertisement(std::string_view xml, const ParseLimits& limits) {
  return DocumentParser(Kind::kAdvertisement, limits).parse(xml);
}

RSpec parse_manifest(std::string_view xml, const ParseLimits& limits) {
  return DocumentParser(Kind::kManifest, limits).parse(xml);
}

}  // namespace federa::rspec
