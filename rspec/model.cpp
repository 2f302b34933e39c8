#include "rspec/model.h"

#include <algorithm>

namespace federa::rspec {
namespace {

template <typename T>
T* by_client_id(std::vector<T>& items, std::string_view client_id) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.client_id == client_id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kAdvertisement: return "advertisement";
    case Kind::kRequest: return "request";
    case Kind::kManifest: return "manifest";
  }
  return "request";
}

Node* find_node(RSpec& rspec, std::string_view client_id) {
  return by_client_id(rspec.nodes, client_id);
}

Link* find_link(RSpec& rspec, std::string_view client_id) {
  return by_client_id(rspec.links, client_id);
}

Interface* find_interface(RSpec& rspec, std::string_view client_id) {
  for (Node& node : rspec.nodes) {
    if (Interface* found = by_client_id(node.interfaces, client_id)) return found;
  }
  return nullptr;
}

}  // namespace federa::rspec
