// The federation registry's Federation API v2 methods ("/", /REG, /CH): SERVICE lookups, the v1
// lookup_aggregates / lookup_slice_authorities / lookup_member_authorities, get_trust_roots.
#include "clearinghouse/ch_error.h"
#include "clearinghouse/ch_methods.h"

namespace federa::ch {
namespace {

rpc::Struct service_record(const ServiceEntry& entry) {
  const char* api_key = entry.type == ServiceType::kAggregateManager ? "AM_API_VERSION" : "API_VERSION";
  return {
      {"SERVICE_URN", rpc::Value(entry.urn)},
      {"SERVICE_URL", rpc::Value(entry.url)},
      {"SERVICE_TYPE", rpc::Value(std::string(service_type_name(entry.type)))},
      {"SERVICE_NAME", rpc::Value(entry.name)},
      {"SERVICE_DESCRIPTION", rpc::Value(entry.description)},
      {"_GENI_SERVICE_ATTRIBUTES", rpc::Value(rpc::Struct{{api_key, rpc::Value(std::to_string(entry.api_version))}})},
      {"_GENI_SERVICE_FEDERATION", rpc::Value(entry.federation)}};
}

// The matching services as a list (registry answers are lists, not keyed structs).
rpc::Array services_answer(FederationRegistry& registry, std::optional<ServiceType> type, const rpc::Struct& options) {
  const rpc::Struct& match = options_struct(options, "match");
  rpc::Array answer;
  for (const ServiceEntry& entry : registry.services(type)) {
    rpc::Struct record = service_record(entry);
    if (matches(record, match)) answer.emplace_back(filtered(std::move(record), options));
  }
  return answer;
}

void add_typed_lookup(ChService& service, FederationRegistry& registry, const char* name, ServiceType type) {
  service.add_method(Endpoint::kRegistry, name, [&registry, type](const ChCall& call) {
    return rpc::Value(services_answer(registry, type, options_param(call.params, 0)));
  });
}

}  // namespace

void add_registry_methods(ChService& service, Clearinghouse& ch, const std::string& registry_urn) {
  FederationRegistry& registry = ch.registry;
  service.add_method(Endpoint::kRegistry, "get_version", [registry_urn](const ChCall& call) {
    return rpc::Value(version_struct(registry_urn, {"SERVICE"}, call.url));
  });
  add_typed_lookup(service, registry, "lookup_aggregates", ServiceType::kAggregateManager);
  add_typed_lookup(service, registry, "lookup_slice_authorities", ServiceType::kSliceAuthority);
  add_typed_lookup(service, registry, "lookup_member_authorities", ServiceType::kMemberAuthority);
  service.add_method(Endpoint::kRegistry, "lookup", [&registry](const ChCall& call) {
    const std::string type = string_param(call.params, 0, "type");
    if (type != "SERVICE") throw ChError(ChCode::kArgument, "Invalid type: " + type + " (the registry has SERVICE)");
    return rpc::Value(services_answer(registry, std::nullopt, options_param(call.params, 2)));
  });
  service.add_method(Endpoint::kRegistry, "get_trust_roots", [&registry](const ChCall&) {
    rpc::Array roots;
    for (const std::string& pem : registry.trust_roots_pem()) roots.emplace_back(pem);
    return rpc::Value(std::move(roots));
  });
}

}  // namespace federa::ch
