#include "rspec/extensions_xml.h"

#include "rspec/namespaces.h"

#include <limits>

namespace federa::rspec {
namespace {

constexpr std::uint64_t kMaxAmount = std::numeric_limits<std::uint32_t>::max();

std::optional<std::uint32_t> amount(const ElementReader& reader, const xmlNode* element,
                                    const char* name) {
  auto value = reader.unsigned_number(element, name, kMaxAmount);
  if (!value) return std::nullopt;
  return static_cast<std::uint32_t>(*value);
}

void optional_amount(XmlWriter& writer, std::string_view name,
                     const std::optional<std::uint32_t>& value) {
  if (value) writer.attribute(name, std::to_string(*value));
}

}  // namespace

bool is_user_extension(const xmlNode* element) {
  return xml_name(element) == "services_user" &&
         (in_namespace(element, kUserNs) || in_namespace(element, kUserGeniNs));
}

bool is_shared_vlan_extension(const xmlNode* element) {
  return xml_name(element) == "link_shared_vlan" &&
         (in_namespace(element, kSharedVlanNs) || in_namespace(element, kSharedVlanLegacyNs));
}

XenSettings read_xen(const ElementReader& reader, const xmlNode* element) {
  return {amount(reader, element, "cores"), amount(reader, element, "ram"),
          amount(reader, element, "disk")};
}

void write_xen(XmlWriter& writer, const XenSettings& xen) {
  writer.open("emulab:xen");
  optional_amount(writer, "cores", xen.cores);
  optional_amount(writer, "ram", xen.ram_mb);
  optional_amount(writer, "disk", xen.disk_gb);
  writer.close();
}

ServicesUser read_services_user(const ElementReader& reader, const xmlNode* element) {
  ServicesUser user{reader.required(element, "login"), reader.attribute(element, "user_urn"), {}};
  for_each_element(element, [&](const xmlNode* child) {
    if (xml_name(child) == "public_key") user.public_keys.push_back(reader.text(child));
  });
  return user;
}

void write_services_user(XmlWriter& writer, const ServicesUser& user) {
  writer.open("user:services_user");
  writer.attribute("login", user.login);
  writer.optional_attribute("user_urn", user.user_urn);
  for (const std::string& key : user.public_keys) writer.text_element("user:public_key", key);
  writer.close();
}

void write_shared_vlan(XmlWriter& writer, const std::string& name) {
  writer.open("sharedvlan:link_shared_vlan");
  writer.attribute("name", name);
  writer.close();
}

}  // namespace federa::rspec
