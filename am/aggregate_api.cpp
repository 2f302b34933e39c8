#include "am/aggregate_api.h"

#include "am/api_args.h"
#include "am/geni_result.h"
#include "clearinghouse/urn.h"
#include "common/geni_error.h"

namespace federa::am {
namespace {

// The option that carries a federa action's argument.
const char* action_option(const std::string& action) {
  if (action == "federa_migrate") return "federa_destination";
  if (action == "federa_snapshot") return "federa_snapshot_mode";
  return "federa_snapshot_id";
}

using Params = rpc::Array;

// What every slice method needs before it acts: the slice, the authorized caller and until when
// the credentials allow it.
struct Authorized {
  Target target;
  Timestamp credential_expiry;
};

class Api {
 public:
  Api(Aggregate& aggregate, std::shared_ptr<const trust::Authorizer> authorizer)
      : aggregate_(aggregate), authorizer_(std::move(authorizer)) {}

  trust::Authorization authorize(const CallContext& context, const std::optional<std::string>& slice_urn,
                                 const std::string& operation, std::vector<trust::WireCredential> credentials,
                                 const rpc::Struct& options) const {
    trust::AuthorizationRequest request;
    for (const auto& x509 : context.peer->chain) request.caller.emplace_back(x509);
    request.slice_urn = slice_urn;
    request.operation = operation;
    request.credentials = std::move(credentials);
    request.speaking_for = string_option(options, "geni_speaking_for");
    return authorizer_->authorize(request);
  }

  Timestamp expiry_of(const trust::Authorization& authorization) const {
    return authorization.expires.value_or(now_utc() + aggregate_.policy().max_lease);
  }

  // Resolve the URNs, authorize `operation` on their slice, refuse a shut-down slice.
  Authorized slice_call(const CallContext& context, const std::vector<std::string>& urns, const std::string& operation,
                        std::vector<trust::WireCredential> credentials, const rpc::Struct& options,
                        bool allow_shut_down = false) const {
    Target target = aggregate_.resolve(urns);
    const auto authorization = authorize(context, target.slice_urn, operation, std::move(credentials), options);
    if (!allow_shut_down) aggregate_.check_not_shut_down(target.slice_urn);
    return {std::move(target), expiry_of(authorization)};
  }

  static std::string slice_urn_argument(const Params& params) {
    std::string urn = string_argument(params, 0, "slice_urn");
    const auto parsed = trust::Urn::try_parse(urn);
    if (!parsed || parsed->type() != "slice") {
      throw GeniError(GeniCode::kBadArgs, "'" + urn + "' is not a slice URN (urn:publicid:IDN+<authority>+slice+<name>)");
    }
    return urn;
  }

  Aggregate& aggregate_;
  std::shared_ptr<const trust::Authorizer> authorizer_;
};

rpc::Value manifest_and_slivers(const SliceView& view) {
  return rpc::Value(rpc::Struct{{"geni_rspec", rpc::Value(view.manifest)},
                                {"geni_slivers", rpc::Value(sliver_statuses(view.slivers))}});
}

// ---- AM API v3 ------------------------------------------------------------------------------

void add_v3(AmService& service, std::shared_ptr<Api> api) {
  const ApiVersion v3 = ApiVersion::kV3;
  service.add_method(v3, "ListResources", [api](const CallContext& context, const Params& params) {
    const auto& options = options_argument(params, 1);
    if (options.contains("geni_slice_urn")) {
      throw GeniError(GeniCode::kBadArgs, "geni_slice_urn is not part of AM API v3 ListResources; use Describe");
    }
    api->authorize(context, std::nullopt, "", credentials_argument(params, 0, ApiVersion::kV3), options);
    require_geni3_rspec_version(options);
    const std::string ad = api->aggregate_.advertisement(bool_option(options, "geni_available"));
    return geni_success(rpc::Value(maybe_compressed(ad, options)));
  });
  service.add_method(v3, "Allocate", [api](const CallContext& context, const Params& params) {
    const std::string slice_urn = Api::slice_urn_argument(params);
    const auto& options = options_argument(params, 3);
    const auto authorization =
        api->authorize(context, slice_urn, "createsliver", credentials_argument(params, 1, ApiVersion::kV3), options);
    api->aggregate_.check_not_shut_down(slice_urn);
    const SliceView view = api->aggregate_.allocate(slice_urn, string_argument(params, 2, "rspec"),
                                                    api->expiry_of(authorization), time_option(options, "geni_end_time"));
    return geni_success(manifest_and_slivers(view));
  });
  service.add_method(v3, "Provision", [api](const CallContext& context, const Params& params) {
    const auto& options = options_argument(params, 2);
    const Authorized call = api->slice_call(context, urns_argument(params, 0), "createsliver",
                                            credentials_argument(params, 1, ApiVersion::kV3), options);
    require_geni3_rspec_version(options);
    ProvisionOptions provision{time_option(options, "geni_end_time"), {}};
    if (const auto users = options.find("geni_users"); users != options.end()) provision.users = users_value(users->second);
    return geni_success(manifest_and_slivers(api->aggregate_.provision(call.target, call.credential_expiry, provision)));
  });
  service.add_method(v3, "Status", [api](const CallContext& context, const Params& params) {
    const Authorized call = api->slice_call(context, urns_argument(params, 0), "getsliceresources",
                                            credentials_argument(params, 1, ApiVersion::kV3), options_argument(params, 2));
    return geni_success(rpc::Value(rpc::Struct{
        {"geni_urn", rpc::Value(call.target.slice_urn)},
        {"geni_slivers", rpc::Value(sliver_statuses(api->aggregate_.status(call.target)))}}));
  });
  service.add_method(v3, "Describe", [api](const CallContext& context, const Params& params) {
    const auto& options = options_argument(params, 2);
    const Authorized call = api->slice_call(context, urns_argument(params, 0), "getsliceresources",
                                            credentials_argument(params, 1, ApiVersion::kV3), options);
    require_geni3_rspec_version(options);
    const SliceView view = api->aggregate_.describe(call.target);
    return geni_success(rpc::Value(rpc::Struct{{"geni_rspec", rpc::Value(maybe_compressed(view.manifest, options))},
                                               {"geni_urn", rpc::Value(view.slice_urn)},
                                               {"geni_slivers", rpc::Value(sliver_statuses(view.slivers))}}));
  });
  service.add_method(v3, "PerformOperationalAction", [api](const CallContext& context, const Params& params) {
    const auto& options = options_argument(params, 3);
    const Authorized call = api->slice_call(context, urns_argument(params, 0), "createsliver",
                                            credentials_argument(params, 1, ApiVersion::kV3), options);
    const std::string action = string_argument(params, 2, "action");
    if (action == "geni_update_users") {
      const auto users = options.find("geni_users");
      if (users == options.end()) throw GeniError(GeniCode::kBadArgs, "geni_update_users needs the option geni_users");
      api->aggregate_.set_users(call.target.slice_urn, users_value(users->second));
    }
    rpc::Array statuses;
    const std::string argument = string_option(options, action_option(action)).value_or("");
    for (const ActionOutcome& outcome :
         api->aggregate_.perform(call.target, action, bool_option(options, "geni_best_effort"), argument)) {
      statuses.push_back(sliver_status(outcome.sliver, outcome.error));
    }
    return geni_success(rpc::Value(std::move(statuses)));
  });
  service.add_method(v3, "Renew", [api](const CallContext& context, const Params& params) {
    const auto& options = options_argument(params, 3);
    const Authorized call = api->slice_call(context, urns_argument(params, 0), "renewsliver",
                                            credentials_argument(params, 1, ApiVersion::kV3), options);
    const Timestamp requested = time_argument(argument(params, 2, "expiration_time"), "expiration_time");
    return geni_success(rpc::Value(sliver_statuses(api->aggregate_.renew(
        call.target, requested, call.credential_expiry, bool_option(options, "geni_extend_alap")))));
  });
  service.add_method(v3, "Delete", [api](const CallContext& context, const Params& params) {
    const Authorized call = api->slice_call(context, urns_argument(params, 0), "deleteslice",
                                            credentials_argument(params, 1, ApiVersion::kV3), options_argument(params, 2));
    return geni_success(rpc::Value(sliver_statuses(api->aggregate_.remove(call.target))));
  });
  service.add_method(v3, "Shutdown", [api](const CallContext& context, const Params& params) {
    const std::string slice_urn = Api::slice_urn_argument(params);
    api->slice_call(context, {slice_urn}, "shutdown", credentials_argument(params, 1, ApiVersion::kV3),
                    options_argument(params, 2), true);
    api->aggregate_.shutdown(slice_urn);
    return geni_success(rpc::Value(true));
  });
}

// ---- AM API v2 ------------------------------------------------------------------------------

std::string v2_status(const std::vector<SliverRecord>& slivers) {
  bool all_ready = !slivers.empty();
  for (const SliverRecord& sliver : slivers) {
    if (sliver.states.operational == OperationalState::kFailed) return "failed";
    all_ready = all_ready && sliver.states.operational == OperationalState::kReady;
  }
  return all_ready ? "ready" : "configuring";
}

void add_v2(AmService& service, std::shared_ptr<Api> api) {
  const ApiVersion v2 = ApiVersion::kV2;
  service.add_method(v2, "ListResources", [api](const CallContext& context, const Params& params) {
    const auto& options = options_argument(params, 1);
    auto credentials = credentials_argument(params, 0, ApiVersion::kV2);
    require_geni3_rspec_version(options);
    if (const auto slice_urn = string_option(options, "geni_slice_urn")) {
      const Authorized call = api->slice_call(context, {*slice_urn}, "getsliceresources", std::move(credentials), options);
      return geni_success(rpc::Value(maybe_compressed(api->aggregate_.describe(call.target).manifest, options)));
    }
    api->authorize(context, std::nullopt, "", std::move(credentials), options);
    return geni_success(rpc::Value(maybe_compressed(api->aggregate_.advertisement(bool_option(options, "geni_available")), options)));
  });
  service.add_method(v2, "CreateSliver", [api](const CallContext& context, const Params& params) {
    const std::string slice_urn = Api::slice_urn_argument(params);
    const auto& options = options_argument(params, 4);
    const auto authorization =
        api->authorize(context, slice_urn, "createsliver", credentials_argument(params, 1, ApiVersion::kV2), options);
    api->aggregate_.check_not_shut_down(slice_urn);
    const Timestamp expiry = api->expiry_of(authorization);
    api->aggregate_.allocate(slice_urn, string_argument(params, 2, "rspec"), expiry, std::nullopt);
    const Target target{slice_urn, {}};
    api->aggregate_.provision(target, expiry, {std::nullopt, users_value(argument(params, 3, "users"))});
    api->aggregate_.perform(target, "geni_start", true);
    return geni_success(rpc::Value(api->aggregate_.describe(target).manifest));
  });
  service.add_method(v2, "SliverStatus", [api](const CallContext& context, const Params& params) {
    const std::string slice_urn = Api::slice_urn_argument(params);
    const Authorized call = api->slice_call(context, {slice_urn}, "getsliceresources",
                                            credentials_argument(params, 1, ApiVersion::kV2), options_argument(params, 2));
    const auto slivers = api->aggregate_.status(call.target);
    rpc::Array resources;
    Timestamp expires = slivers.empty() ? now_utc() : slivers.front().expires;
    for (const SliverRecord& sliver : slivers) {
      resources.push_back(rpc::Value(rpc::Struct{{"geni_urn", rpc::Value(sliver.urn)},
                                                 {"geni_status", rpc::Value(v2_status({sliver}))},
                                                 {"geni_error", rpc::Value(sliver.error)}}));
      expires = std::min(expires, sliver.expires);
    }
    return geni_success(rpc::Value(rpc::Struct{{"geni_urn", rpc::Value(slice_urn)},
                                               {"geni_status", rpc::Value(v2_status(slivers))},
                                               {"geni_resources", rpc::Value(std::move(resources))},
                                               {"geni_expires", rpc::Value(format_rfc3339(expires))}}));
  });
  service.add_method(v2, "RenewSliver", [api](const CallContext& context, const Params& params) {
    const std::string slice_urn = Api::slice_urn_argument(params);
    const auto& options = options_argument(params, 3);
    const Authorized call = api->slice_call(context, {slice_urn}, "renewsliver",
                                            credentials_argument(params, 1, ApiVersion::kV2), options);
    const Timestamp requested = time_argument(argument(params, 2, "expiration_time"), "expiration_time");
    const auto slivers = api->aggregate_.renew(call.target, requested, call.credential_expiry,
                                               bool_option(options, "geni_extend_alap"));
    rpc::Struct answer = geni_success(rpc::Value(true));
    answer["output"] = rpc::Value(slivers.empty() ? "" : format_rfc3339(slivers.front().expires));
    return answer;
  });
  service.add_method(v2, "DeleteSliver", [api](const CallContext& context, const Params& params) {
    const std::string slice_urn = Api::slice_urn_argument(params);
    const Authorized call = api->slice_call(context, {slice_urn}, "deleteslice",
                                            credentials_argument(params, 1, ApiVersion::kV2), options_argument(params, 2));
    api->aggregate_.remove(call.target);
    return geni_success(rpc::Value(true));
  });
  service.add_method(v2, "Shutdown", [api](const CallContext& context, const Params& params) {
    const std::string slice_urn = Api::slice_urn_argument(params);
    api->slice_call(context, {slice_urn}, "shutdown", credentials_argument(params, 1, ApiVersion::kV2),
                    options_argument(params, 2), true);
    api->aggregate_.shutdown(slice_urn);
    return geni_success(rpc::Value(true));
  });
}

}  // namespace

void add_aggregate_api(AmService& service, Aggregate& aggregate, std::shared_ptr<const trust::Authorizer> authorizer) {
  auto api = std::make_shared<Api>(aggregate, std::move(authorizer));
  add_v3(service, api);
  add_v2(service, api);
}

}  // namespace federa::am
