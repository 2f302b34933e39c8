// The libvirt domain XML of a node, and the federa metadata it carries. The metadata element
// (namespace urn:federa:node:1) records what define() was given — image, login user, SSH keys,
// ports — so the host alone can answer login() and rebuild the seed after an AM restart.
#pragma once

#include "federation/node_driver.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace federa::federation {

inline constexpr const char* kNodeMetadataUri = "urn:federa:node:1";

// Files define() made for a node; empty paths are left out of the XML.
struct DomainFiles {
  std::filesystem::path overlay;  // qcow2 overlay of Image::disk
  std::filesystem::path initrd;   // Image::initrd with the seed appended
  std::filesystem::path console;  // serial console log (truncated at each start)
};

// `virt_type` is "qemu" (TCG), "kvm" or "test". A QEMU node with a login port gets a user-mode
// NIC forwarding <login_bind>:<login_port> to its port 22 (as QEMU arguments: libvirt 9.0 only
// forwards ports of user-mode NICs through passt, which Debian 12's libvirt does not start
// embedded; libvirt marks such a domain "custom-argv"). Every node has ACPI: a Linux guest
// finds the pvpanic device through it, and libvirt 9.0 would pass QEMU 9+ a -no-acpi it lacks.
std::string domain_xml(const NodeSpec& spec, const Image& image, const DomainFiles& files,
                       std::string_view virt_type, std::string_view login_bind = "0.0.0.0");

// The metadata element alone and back. Inside the domain XML it declares its namespace
// (prefix "federa"); for virDomainSetMetadata, which adds the namespace itself, it must not.
// The parse is of the host's answer, with common/safe_xml; throws GeniError(kServerError) if it
// is not ours.
std::string node_metadata(const NodeSpec& spec, bool declare_namespace);
NodeSpec parse_node_metadata(std::string_view xml, const std::string& node);

}  // namespace federa::federation
