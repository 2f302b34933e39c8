// Reading and removing network devices in one namespace with iproute2: the listing (from
// `ip -json link show`) and removal of devices that may already be gone, used by the link
// driver and the sweep alike.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace federa::federation {

struct LinkInfo {
  std::string name;
  std::string master;  // the bridge it is a port of, "" if none
  int mtu = 0;
};

// Devices in `netns` ("" = the host's own namespace).
std::vector<LinkInfo> list_links(const std::string& netns);

// `ip -json -details link show dev <device>` in `netns`: the device's object (its "linkinfo"
// holds the kind's own data and, for a port, its bridge port data); null if there is no such device.
nlohmann::json link_details(const std::string& netns, const std::string& device);

// The bridge port state of `device` in `netns` ("forwarding", "disabled", ...; "" if it is no
// bridge port). A port becomes forwarding only once the kernel's link watch has seen its
// carrier, which is asynchronous to the `ip link set up` that brought the carrier up. "" too
// if there is no such device.
std::string bridge_port_state(const std::string& netns, const std::string& device);

// Deletes the named devices; those already gone (a veth whose peer went first) are fine.
void delete_links(const std::string& netns, const std::vector<std::string>& names);

// Runs `nft` with `script` on stdin in `netns`.
std::string run_nft(const std::string& netns, const std::vector<std::string>& args,
                    const std::string& script = {});

}  // namespace federa::federation
