#include "federation/node_driver.h"

#include "federation/libvirt_node_driver.h"
#include "federation/netns_node_driver.h"

#include "common/geni_error.h"

namespace federa::federation {

std::filesystem::path snapshot_disk_file(const std::filesystem::path& memory_file) {
  return std::filesystem::path(memory_file).replace_extension(".disk.qcow2");
}

std::unique_ptr<NodeDriver> open_node_driver(const std::string& uri, const NodeDriverOptions& options) {
  if (uri.starts_with("test://")) return std::make_unique<LibvirtNodeDriver>(uri, "test", options);
  if (uri.starts_with("qemu://") || uri.starts_with("qemu+")) {
    return std::make_unique<LibvirtNodeDriver>(uri, options.accelerator == "kvm" ? "kvm" : "qemu", options);
  }
  if (uri.starts_with("netns://")) {
    const auto path = uri.find(":///");
    if (path == std::string::npos) throw GeniError(GeniCode::kBadArgs, "'" + uri + "': use netns:/// or netns:///<host netns>");
    return std::make_unique<NetnsNodeDriver>(uri.substr(path + 4), options);
  }
  throw GeniError(GeniCode::kUnsupported, "no node driver for '" + uri +
                                              "' (use test:///default, qemu:///system, qemu:///embed?root=DIR, "
                                              "netns:///[host netns])");
}

}  // namespace federa::federation
