// Writing RSpec v3 documents from the typed model (rspec/model.h). The output is well-formed
// UTF-8 with every value escaped, carries exactly the attributes the target kind's 2012 schema
// allows (so it validates against schema/rspec), and re-emits every preserved unknown extension
// where it was found. A value that is not UTF-8 text throws GeniError(ERROR).
//
// A manifest is the request echoed back with what the aggregate decided: make_manifest(request)
// copies it; the AM/mapper then fills, through find_node/find_link/find_interface, each node's
// sliver_id, component_id, component_manager_id, host_name and services.logins (hostname, port,
// username), each interface's sliver_id, component_id, mac_address and ips, each link's sliver_id
// and vlantag, and the stitching path hops (hop.link.l2->suggested_vlan_range, the VLAN assigned).
// An advertisement is written from an RSpec of kind advertisement that federation/ builds from its
// inventory: nodes with component ids, sliver types, disk images, hardware types, location,
// available_now and interfaces; links; external_refs; shared_vlans; the stitching topology and the
// opstate machine.
#pragma once

#include "rspec/model.h"

#include <string>

namespace federa::rspec {

// The request as a manifest to fill: same content, kind manifest, generated now.
RSpec make_manifest(const RSpec& request);

std::string write_manifest(const RSpec& manifest);
std::string write_advertisement(const RSpec& advertisement);
// A request (federation forwards the part of a request that belongs to a peer aggregate).
std::string write_request(const RSpec& request);

}  // namespace federa::rspec
