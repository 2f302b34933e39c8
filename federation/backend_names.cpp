#include "federation/backend_names.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace federa::federation {
namespace {

constexpr std::size_t kHashDigits = 10;

bool is_hex_run(std::string_view text) {
  if (text.size() != kHashDigits) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string short_hash(std::initializer_list<std::string_view> parts) {
  std::uint64_t hash = 1469598103934665603ULL;
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) hash = (hash ^ '\n') * 1099511628211ULL;
    first = false;
    for (unsigned char c : part) hash = (hash ^ c) * 1099511628211ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(text, kHashDigits);
}

std::string device_name(DeviceKind kind, std::string_view slice_urn, std::string_view link_id,
                        std::string_view host_or_node) {
  return std::string("fd") + static_cast<char>(kind) + "-" +
         short_hash({slice_urn, link_id, host_or_node});
}

std::string cut_table_name(std::string_view slice_urn, std::string_view link_id,
                           std::string_view host) {
  return "fd_" + short_hash({"cut", slice_urn, link_id, host});
}

std::string domain_name(std::string_view slice_urn, std::string_view client_id) {
  std::string name = "fd-" + short_hash({slice_urn, client_id}) + "-";
  for (char c : client_id) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    name += plain ? c : '_';
  }
  return name;
}

bool is_federa_device(std::string_view name) {
  if (name.size() != 4 + kHashDigits || name.substr(0, 2) != "fd" || name[3] != '-') return false;
  const std::string_view kinds = "bxvptc";
  return kinds.find(name[2]) != std::string_view::npos && is_hex_run(name.substr(4));
}

bool is_federa_device(std::string_view name, DeviceKind kind) {
  return is_federa_device(name) && name[2] == static_cast<char>(kind);
}

bool is_federa_domain(std::string_view name) {
  return name.size() > 4 + kHashDigits && name.substr(0, 3) == "fd-" &&
         is_hex_run(name.substr(3, kHashDigits)) && name[3 + kHashDigits] == '-';
}

bool is_federa_table(std::string_view name) {
  return name.size() == 3 + kHashDigits && name.substr(0, 3) == "fd_" && is_hex_run(name.substr(3));
}

}  // namespace federa::federation
