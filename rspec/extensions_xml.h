// Internal to rspec/: the XML form of the small typed extensions: emulab/1 <emulab:xen> (in a
// sliver_type), user-keys <user:services_user> (in services) and shared-vlan
// <sharedvlan:link_shared_vlan> (in a link). Writers use the prefixes the RSpec writer declares
// on the root: emulab, user, sharedvlan.
#pragma once

#include "rspec/emulab.h"
#include "rspec/user_keys.h"
#include "rspec/xml_reader.h"
#include "rspec/xml_writer.h"

namespace federa::rspec {

bool is_user_extension(const xmlNode* element);
bool is_shared_vlan_extension(const xmlNode* element);

XenSettings read_xen(const ElementReader& reader, const xmlNode* element);
void write_xen(XmlWriter& writer, const XenSettings& xen);

ServicesUser read_services_user(const ElementReader& reader, const xmlNode* element);
void write_services_user(XmlWriter& writer, const ServicesUser& user);

void write_shared_vlan(XmlWriter& writer, const std::string& name);

}  // namespace federa::rspec
