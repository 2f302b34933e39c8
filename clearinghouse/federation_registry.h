// The federation registry (Common Federation API v2 "/" or /REG): the services of this
// federation, slice authority and member authority (from configuration) and the aggregates the
// operator registered (store), plus the aggregates of peer federations this clearinghouse
// trusts (configuration, tagged with the peer's name), and the trust roots the federation's
// aggregates and authorities accept (every certificate in the trust-roots directory).
// Thread-safe.
#pragma once

#include "clearinghouse/ch_store.h"
#include "clearinghouse/trust_roots.h"
#include "store/store.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::ch {

enum class ServiceType { kAggregateManager, kSliceAuthority, kMemberAuthority };

// "AGGREGATE_MANAGER", "SLICE_AUTHORITY", "MEMBER_AUTHORITY".
std::string_view service_type_name(ServiceType type);
// nullopt for a name outside the table.
std::optional<ServiceType> parse_service_type(std::string_view name);

struct ServiceEntry {
  ServiceType type = ServiceType::kAggregateManager;
  std::string urn;
  std::string url;
  std::string name;
  std::string description;
  int api_version = 3;     // AM API version for aggregates, Federation API version for authorities
  std::string federation;  // "" for this federation, else the peer's name
};

class FederationRegistry {
 public:
  FederationRegistry(store::Store& store, std::vector<ServiceEntry> configured,
                     std::shared_ptr<trust::TrustRoots> roots);

  // Configured services first, then registered aggregates; only `type` when given.
  std::vector<ServiceEntry> services(std::optional<ServiceType> type);
  // True when `urn` is an aggregate of this federation (registered or configured, not a peer's).
  bool is_local_aggregate(const std::string& urn);

  // Operator actions; a URN that is not urn:publicid:IDN+...+authority+am is refused (ChError).
  void register_aggregate(const Aggregate& aggregate);
  bool unregister_aggregate(const std::string& urn);

  std::vector<std::string> trust_roots_pem() const;

 private:
  store::Store& store_;
  std::vector<ServiceEntry> configured_;
  std::shared_ptr<trust::TrustRoots> roots_;
};

}  // namespace federa::ch
