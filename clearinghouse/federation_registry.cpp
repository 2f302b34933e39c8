#include "clearinghouse/federation_registry.h"

#include "clearinghouse/ch_error.h"
#include "clearinghouse/urn.h"

namespace federa::ch {
namespace {

constexpr std::pair<ServiceType, std::string_view> kTypeNames[] = {
    {ServiceType::kAggregateManager, "AGGREGATE_MANAGER"},
    {ServiceType::kSliceAuthority, "SLICE_AUTHORITY"},
    {ServiceType::kMemberAuthority, "MEMBER_AUTHORITY"},
};

ServiceEntry entry_of(const Aggregate& aggregate) {
  return {ServiceType::kAggregateManager,
          aggregate.urn,
          aggregate.url,
          aggregate.name,
          aggregate.description,
          aggregate.api_version,
          ""};
}

}  // namespace

std::string_view service_type_name(ServiceType type) {
  for (const auto& [known, name] : kTypeNames) {
    if (known == type) return name;
  }
  return "AGGREGATE_MANAGER";
}

std::optional<ServiceType> parse_service_type(std::string_view name) {
  for (const auto& [type, known] : kTypeNames) {
    if (known == name) return type;
  }
  return std::nullopt;
}

FederationRegistry::FederationRegistry(store::Store& store, std::vector<ServiceEntry> configured,
                                       std::shared_ptr<trust::TrustRoots> roots)
    : store_(store), configured_(std::move(configured)), roots_(std::move(roots)) {}

std::vector<ServiceEntry> FederationRegistry::services(std::optional<ServiceType> type) {
  std::vector<ServiceEntry> all = configured_;
  for (const Aggregate& aggregate : store_.read([](store::Transaction& tx) { return ChStore(tx).aggregates(); })) {
    all.push_back(entry_of(aggregate));
  }
  if (type) std::erase_if(all, [&](const ServiceEntry& entry) { return entry.type != *type; });
  return all;
}

bool FederationRegistry::is_local_aggregate(const std::string& urn) {
  for (const ServiceEntry& entry : services(ServiceType::kAggregateManager)) {
    if (entry.federation.empty() && trust::same_urn(entry.urn, urn)) return true;
  }
  return false;
}

void FederationRegistry::register_aggregate(const Aggregate& aggregate) {
  const auto urn = trust::Urn::try_parse(aggregate.urn);
  if (!urn || urn->type() != "authority" || urn->name() != "am") {
    throw ChError(ChCode::kArgument,
                  "'" + aggregate.urn + "' is not an aggregate URN (urn:publicid:IDN+<authority>+authority+am)");
  }
  if (aggregate.url.rfind("https://", 0) != 0) {
    throw ChError(ChCode::kArgument, "aggregate URL '" + aggregate.url + "' must start with https://");
  }
  Aggregate stored = aggregate;
  stored.urn = urn->str();
  store_.transaction([&](store::Transaction& tx) { ChStore(tx).upsert_aggregate(stored); });
}

bool FederationRegistry::unregister_aggregate(const std::string& urn) {
  return store_.transaction([&](store::Transaction& tx) { return ChStore(tx).delete_aggregate(urn) > 0; });
}

std::vector<std::string> FederationRegistry::trust_roots_pem() const {
  std::vector<std::string> pems;
  for (const trust::Certificate& root : roots_->roots()) pems.push_back(root.pem());
  return pems;
}

}  // namespace federa::ch
