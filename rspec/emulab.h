// The ProtoGENI emulab/1 extension elements real requests and manifests carry, typed:
// <emulab:xen cores ram disk/> in a sliver_type, <emulab:routable_control_ip/> and (manifest)
// <emulab:vnode name/> in a node. Other emulab/1 elements (node_type, fd, interface ...) are kept
// as unknown extensions.
#pragma once

#include <cstdint>
#include <optional>

namespace federa::rspec {

// Resources asked for a Xen VM (emulab-xen sliver type): cores, RAM in MB, disk in GB.
struct XenSettings {
  std::optional<std::uint32_t> cores;
  std::optional<std::uint32_t> ram_mb;
  std::optional<std::uint32_t> disk_gb;
};

}  // namespace federa::rspec
