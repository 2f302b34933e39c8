#include "gmoc/ops_model.h"

namespace federa::gmoc {

const char* to_string(BindingKind kind) {
  switch (kind) {
    case BindingKind::kHost: return "host";
    case BindingKind::kVlan: return "vlan";
    case BindingKind::kIp: return "ip";
    case BindingKind::kMac: return "mac";
  }
  return "host";
}

std::optional<BindingKind> binding_kind_from(const std::string& text) {
  for (BindingKind kind : {BindingKind::kHost, BindingKind::kVlan, BindingKind::kIp, BindingKind::kMac}) {
    if (text == to_string(kind)) return kind;
  }
  return std::nullopt;
}

}  // namespace federa::gmoc
