#include "federation/domain_xml.h"

#include "common/geni_error.h"
#include "common/safe_xml.h"

namespace federa::federation {
namespace {

std::string escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string element(std::string_view name, std::string_view text) {
  return "<" + std::string(name) + ">" + escaped(text) + "</" + std::string(name) + ">";
}

std::string os_section(const Image& image, const DomainFiles& files) {
  std::string os = "<os><type arch='x86_64'>hvm</type>";
  if (!image.kernel.empty()) {
    os += element("kernel", image.kernel.string());
    if (!files.initrd.empty()) os += element("initrd", files.initrd.string());
    os += element("cmdline", image.cmdline);
  } else {
    os += "<boot dev='hd'/>";
  }
  return os + "</os>";
}

std::string devices_section(const NodeSpec& spec, const DomainFiles& files, std::string_view virt_type) {
  std::string devices = "<devices>";
  if (!files.overlay.empty()) {
    devices += "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" +
               escaped(files.overlay.string()) + "'/><target dev='vda' bus='virtio'/></disk>";
  }
  for (const auto& port : spec.ports) {
    devices += "<interface type='bridge'><mac address='" + escaped(port.mac) + "'/><source bridge='" +
               escaped(port.bridge) + "'/><target dev='" + escaped(port.tap) +
               "'/><model type='virtio'/>" +
               (port.mtu > 0 ? "<mtu size='" + std::to_string(port.mtu) + "'/>" : "") + "</interface>";
  }
  if (virt_type != "test") {
    if (!files.console.empty()) {
      devices += "<serial type='file'><source path='" + escaped(files.console.string()) +
                 "' append='off'/><target port='0'/></serial>";
    }
    devices += "<memballoon model='none'/><panic model='isa'/>";
  }
  return devices + "</devices>";
}

constexpr const char* kQemuNamespace = "http://libvirt.org/schemas/domain/qemu/1.0";

std::string login_forward(const NodeSpec& spec, std::string_view virt_type, std::string_view bind) {
  if (spec.login_port <= 0 || virt_type == "test") return "";
  const std::string netdev = "user,id=fdlogin,restrict=on,hostfwd=tcp:" + std::string(bind) + ":" +
                             std::to_string(spec.login_port) + "-:22";
  // The last slot of the root bus: libvirt numbers its own devices from slot 2 upwards.
  const std::string device = "virtio-net-pci,netdev=fdlogin,bus=pci.0,addr=0x1f,mac=" + std::string(kLoginMac);
  return "<qemu:commandline><qemu:arg value='-netdev'/><qemu:arg value='" + escaped(netdev) +
         "'/><qemu:arg value='-device'/><qemu:arg value='" + escaped(device) + "'/></qemu:commandline>";
}

}  // namespace

std::string domain_xml(const NodeSpec& spec, const Image& image, const DomainFiles& files,
                       std::string_view virt_type, std::string_view login_bind) {
  const std::string forward = login_forward(spec, virt_type, login_bind);
  const std::string ns = forward.empty() ? "" : std::string(" xmlns:qemu='") + kQemuNamespace + "'";
  return "<domain type='" + std::string(virt_type) + "'" + ns + ">" + element("name", spec.name) +
         "<memory unit='MiB'>" + std::to_string(spec.memory_mb) + "</memory>" +
         "<vcpu>" + std::to_string(spec.vcpus) + "</vcpu>" +
         "<metadata>" + node_metadata(spec, true) + "</metadata>" + os_section(image, files) +
         "<features><acpi/></features>" +
         "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot>"
         "<on_crash>preserve</on_crash>" +
         devices_section(spec, files, virt_type) + forward + "</domain>";
}

std::string node_metadata(const NodeSpec& spec, bool declare_namespace) {
  const std::string prefix = declare_namespace ? "federa:" : "";
  std::string xml = "<" + prefix + "node";
  if (declare_namespace) xml += " xmlns:federa='" + std::string(kNodeMetadataUri) + "'";
  xml += " image='" + escaped(spec.image) + "' user='" + escaped(spec.login_user) + "' login_port='" +
         std::to_string(spec.login_port) + "'>";
  for (const auto& port : spec.ports) {
    xml += "<" + prefix + "port tap='" + escaped(port.tap) + "' bridge='" + escaped(port.bridge) +
           "' mac='" + escaped(port.mac) + "' address='" + escaped(port.address) + "' mtu='" +
           std::to_string(port.mtu) + "'/>";
  }
  for (const auto& key : spec.ssh_keys) {
    xml += "<" + prefix + "key>" + escaped(key) + "</" + prefix + "key>";
  }
  return xml + "</" + prefix + "node>";
}

NodeSpec parse_node_metadata(std::string_view xml, const std::string& node) {
  XmlDocument doc;
  try {
    doc = parse_untrusted_xml(xml);
  } catch (const XmlError& e) {
    throw GeniError(GeniCode::kServerError, "node " + node + ": unreadable federa metadata: " + e.what());
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (xml_name(root) != "node") {
    throw GeniError(GeniCode::kServerError, "node " + node + " carries no federa metadata");
  }
  NodeSpec spec;
  spec.name = node;
  spec.image = xml_attribute(root, "image");
  spec.login_user = xml_attribute(root, "user");
  const std::string login_port = xml_attribute(root, "login_port");
  spec.login_port = login_port.empty() ? 0 : std::stoi(login_port);
  for (const xmlNode* child = root->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    if (xml_name(child) == "port") {
      const std::string mtu = xml_attribute(child, "mtu");
      spec.ports.push_back({xml_attribute(child, "tap"), xml_attribute(child, "bridge"),
                            xml_attribute(child, "mac"), xml_attribute(child, "address"),
                            mtu.empty() ? 0 : std::stoi(mtu)});
    } else if (xml_name(child) == "key") {
      spec.ssh_keys.push_back(xml_text(child));
    }
  }
  return spec;
}

}  // namespace federa::federation
