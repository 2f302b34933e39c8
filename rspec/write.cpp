#include "rspec/write.h"

#include "rspec/extensions_xml.h"
#include "rspec/namespaces.h"
#include "rspec/opstate_xml.h"
#include "rspec/stitching_xml.h"
#include "rspec/xml_writer.h"

#include <charconv>

namespace federa::rspec {
namespace {

std::string schema_location(Kind kind, bool stitching) {
  static constexpr std::string_view kFile[] = {"ad.xsd", "request.xsd", "manifest.xsd"};
  std::string location = std::string(kRspecNs) + " " + std::string(kRspecNs) + "/" +
                         std::string(kFile[static_cast<int>(kind)]);
  if (stitching) {
    location += " " + std::string(kStitchNs) + " " + std::string(kStitchNs) + "stitch-schema.xsd";
  }
  return location;
}

std::string number_text(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

class DocumentWriter {
 public:
  explicit DocumentWriter(Kind kind) : kind_(kind) {}
  std::string write(const RSpec& rspec);

 private:
  bool ad() const { return kind_ == Kind::kAdvertisement; }
  bool manifest() const { return kind_ == Kind::kManifest; }
  void extensions(const Extensions& extensions);
  void node(const Node& node);
  void sliver_type(const SliverType& sliver_type);
  void interface(const Interface& interface);
  void services(const Services& services);
  void link(const Link& link);
  void property(const LinkProperty& property);
  void advertised_extras(const RSpec& rspec);

  Kind kind_;
  XmlWriter out_;
};

void DocumentWriter::extensions(const Extensions& extensions) {
  for (const Extension& extension : extensions) out_.fragment(extension.xml);
}

void DocumentWriter::sliver_type(const SliverType& sliver_type) {
  out_.open("sliver_type");
  out_.attribute("name", sliver_type.name);
  for (const DiskImage& image : sliver_type.disk_images) {
    out_.open("disk_image");
    out_.attribute("name", image.name);
    out_.optional_attribute("os", image.os);
    out_.optional_attribute("version", image.version);
    out_.optional_attribute("description", image.description);
    if (ad() && image.is_default) out_.attribute("default", "true");
    out_.close();
  }
  if (sliver_type.xen) write_xen(out_, *sliver_type.xen);
  extensions(sliver_type.extensions);
  out_.close();
}

void DocumentWriter::interface(const Interface& interface) {
  out_.open("interface");
  if (!ad()) out_.attribute("client_id", interface.client_id);
  out_.optional_attribute("component_id", interface.component_id);
  if (ad()) {
    out_.optional_attribute("component_name", interface.component_name);
    out_.optional_attribute("role", interface.role);
    out_.optional_attribute("public_ipv4", interface.public_ipv4);
  }
  if (manifest()) {
    out_.optional_attribute("sliver_id", interface.sliver_id);
    out_.optional_attribute("mac_address", interface.mac_address);
  }
  for (const Ip& ip : interface.ips) {
    out_.open("ip");
    out_.attribute("address", ip.address);
    out_.optional_attribute("netmask", ip.netmask);
    out_.optional_attribute("type", ip.type);
    out_.close();
  }
  extensions(interface.extensions);
  out_.close();
}

void DocumentWriter::services(const Services& services) {
  if (services.empty()) return;
  out_.open("services");
  for (const LoginService& login : services.logins) {
    out_.open("login");
    out_.attribute("authentication", login.authentication);
    out_.optional_attribute("hostname", login.hostname);
    if (login.port) out_.attribute("port", std::to_string(*login.port));
    if (manifest()) out_.optional_attribute("username", login.username);
    out_.close();
  }
  // The advertisement schema gives install and execute other, template-like attributes.
  if (!ad()) {
    for (const InstallService& install : services.installs) {
      out_.open("install");
      out_.attribute("url", install.url);
      out_.attribute("install_path", install.install_path);
      out_.close();
    }
    for (const ExecuteService& execute : services.executes) {
      out_.open("execute");
      out_.attribute("shell", execute.shell);
      out_.attribute("command", execute.command);
      out_.close();
    }
  }
  for (const ServicesUser& user : services.users) write_services_user(out_, user);
  extensions(services.extensions);
  out_.close();
}

void DocumentWriter::node(const Node& node) {
  out_.open("node");
  if (!ad()) out_.attribute("client_id", node.client_id);
  out_.optional_attribute("component_id", node.component_id);
  out_.optional_attribute("component_manager_id", node.component_manager_id);
  out_.optional_attribute("component_name", node.component_name);
  if (node.exclusive || ad()) out_.attribute("exclusive", node.exclusive.value_or(false) ? "true" : "false");
  if (manifest()) out_.optional_attribute("sliver_id", node.sliver_id);
  for (const HardwareType& hardware : node.hardware_types) {
    out_.open("hardware_type");
    out_.attribute("name", hardware.name);
    extensions(hardware.extensions);
    out_.close();
  }
  for (const SliverType& type : node.sliver_types) sliver_type(type);
  if (ad() && node.available_now) {
    out_.open("available");
    out_.attribute("now", *node.available_now ? "true" : "false");
    out_.close();
  }
  if (node.location) {
    out_.open("location");
    out_.attribute("country", node.location->country);
    out_.optional_attribute("longitude", node.location->longitude);
    out_.optional_attribute("latitude", node.location->latitude);
    out_.close();
  }
  for (const Interface& each : node.interfaces) interface(each);
  services(node.services);
  if (manifest() && !node.host_name.empty()) {
    out_.open("host");
    out_.attribute("name", node.host_name);
    out_.close();
  }
  if (!ad() && node.routable_control_ip) {
    out_.open("emulab:routable_control_ip");
    out_.close();
  }
  if (manifest() && !node.vnode.empty()) {
    out_.open("emulab:vnode");
    out_.attribute("name", node.vnode);
    out_.close();
  }
  extensions(node.extensions);
  out_.close();
}

void DocumentWriter::property(const LinkProperty& property) {
  out_.open("property");
  out_.attribute("source_id", property.source_id);
  out_.attribute("dest_id", property.dest_id);
  if (property.capacity_kbps) out_.attribute("capacity", std::to_string(*property.capacity_kbps));
  if (property.latency_ms) out_.attribute("latency", std::to_string(*property.latency_ms));
  if (property.packet_loss) out_.attribute("packet_loss", number_text(*property.packet_loss));
  out_.close();
}

void DocumentWriter::link(const Link& link) {
  out_.open("link");
  if (ad()) {
    out_.optional_attribute("component_id", link.component_id);
    out_.optional_attribute("component_name", link.component_name);
  } else {
    out_.attribute("client_id", link.client_id);
  }
  if (manifest()) {
    out_.optional_attribute("sliver_id", link.sliver_id);
    out_.attribute("vlantag", link.vlantag);  // required by the manifest schema
  }
  for (const std::string& manager : link.component_managers) {
    out_.open("component_manager");
    out_.attribute("name", manager);
    out_.close();
  }
  for (const InterfaceRef& ref : link.interface_refs) {
    out_.open("interface_ref");
    if (!ad()) out_.attribute("client_id", ref.client_id);
    if (kind_ != Kind::kRequest) out_.optional_attribute("component_id", ref.component_id);
    if (manifest()) out_.optional_attribute("sliver_id", ref.sliver_id);
    out_.close();
  }
  for (const LinkProperty& each : link.properties) property(each);
  if (!link.link_type.empty()) {
    out_.open("link_type");
    out_.attribute("name", link.link_type);
    out_.close();
  }
  if (!ad() && !link.shared_vlan.empty()) write_shared_vlan(out_, link.shared_vlan);
  extensions(link.extensions);
  out_.close();
}

void DocumentWriter::advertised_extras(const RSpec& rspec) {
  for (const ExternalRef& ref : rspec.external_refs) {
    out_.open("external_ref");
    out_.attribute("component_id", ref.component_id);
    out_.optional_attribute("component_manager_id", ref.component_manager_id);
    out_.close();
  }
  if (!rspec.shared_vlans.empty()) {
    out_.open("rspec_shared_vlan");
    out_.attribute("xmlns", kSharedVlanNs);
    for (const std::string& name : rspec.shared_vlans) {
      out_.open("available");
      out_.attribute("name", name);
      out_.close();
    }
    out_.close();
  }
  if (rspec.opstate) write_opstate(out_, *rspec.opstate);
}

std::string DocumentWriter::write(const RSpec& rspec) {
  out_.open("rspec");
  out_.attribute("xmlns", kRspecNs);
  out_.attribute("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  out_.attribute("xmlns:emulab", kEmulabNs);
  out_.attribute("xmlns:sharedvlan", kSharedVlanNs);
  out_.attribute("xmlns:user", kUserNs);
  out_.attribute("xsi:schemaLocation", schema_location(kind_, rspec.stitching.has_value()));
  out_.attribute("type", kind_name(kind_));
  if (rspec.generated) out_.attribute("generated", format_rfc3339(*rspec.generated));
  out_.optional_attribute("generated_by", rspec.generated_by);
  if (rspec.expires) out_.attribute("expires", format_rfc3339(*rspec.expires));
  if (ad()) advertised_extras(rspec);
  for (const Node& each : rspec.nodes) node(each);
  for (const Link& each : rspec.links) link(each);
  if (rspec.stitching) write_stitching(out_, *rspec.stitching);
  extensions(rspec.extensions);
  out_.close();
  return out_.finish();
}

}  // namespace

RSpec make_manifest(const RSpec& request) {
  RSpec manifest = request;
  manifest.kind = Kind::kManifest;
  manifest.generated = now_utc();
  return manifest;
}

std::string write_manifest(const RSpec& manifest) {
  return DocumentWriter(Kind::kManifest).write(manifest);
}

std::string write_advertisement(const RSpec& advertisement) {
  return DocumentWriter(Kind::kAdvertisement).write(advertisement);
}

std::string write_request(const RSpec& request) {
  return DocumentWriter(Kind::kRequest).write(request);
}

}  // namespace federa::rspec
