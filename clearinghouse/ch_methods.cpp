#include "clearinghouse/ch_methods.h"

#include "clearinghouse/ch_error.h"

#include <map>
#include <set>

namespace federa::ch {
namespace {

std::vector<trust::Certificate> chain_of(const rpc::PeerCertificates& peer) {
  std::vector<trust::Certificate> chain;
  for (const auto& x509 : peer.chain) chain.emplace_back(x509);
  if (chain.empty()) throw ChError(ChCode::kAuthentication, "no client certificate was presented");
  return chain;
}

}  // namespace

ObjectMethod bound(Clearinghouse& ch, rpc::Value (*method)(Clearinghouse&, const Args&)) {
  return [&ch, method](const Args& args) { return method(ch, args); };
}

void add_object_methods(ChService& service, Endpoint endpoint, const std::vector<ObjectVerb>& rows) {
  std::map<std::string, std::map<std::string, ObjectMethod>> by_verb;
  for (const ObjectVerb& row : rows) {
    by_verb[row.verb][row.type] = row.method;
    if (!row.v1_name.empty()) {
      service.add_method(endpoint, row.v1_name, [method = row.method](const ChCall& call) {
        return method({call, 0});
      });
    }
  }
  std::set<std::string> types;
  for (const ObjectVerb& row : rows) types.insert(row.type);
  std::string known;
  for (const std::string& type : types) known += (known.empty() ? "" : ", ") + type;
  for (const auto& entry : by_verb) {
    const std::string& verb_name = entry.first;
    service.add_method(
        endpoint, verb_name, [verb = verb_name, methods = entry.second, types, known](const ChCall& call) {
          const std::string type = string_param(call.params, 0, "type");
          const auto method = methods.find(type);
          if (method != methods.end()) return method->second({call, 1});
          if (types.contains(type)) {
            throw ChError(ChCode::kNotImplemented, verb + " is not supported for " + type);
          }
          throw ChError(ChCode::kArgument, "Invalid type: " + type + " (this service has " + known + ")");
        });
  }
}

std::string verified_caller(Clearinghouse& ch, const ChCall& call) {
  return ch.authorizer
      .authorize({.caller = chain_of(call.peer),
                  .slice_urn = std::nullopt,
                  .operation = "",
                  .credentials = {},
                  .speaking_for = std::nullopt})
      .caller.str();
}

Member authenticate(Clearinghouse& ch, const Args& args, std::size_t credentials_index, const rpc::Struct& options) {
  const std::vector<trust::Certificate> chain = chain_of(args.call.peer);
  const trust::Authorization authorization =
      ch.authorizer.authorize({.caller = chain,
                               .slice_urn = std::nullopt,
                               .operation = "",
                               .credentials = args.credentials(credentials_index),
                               .speaking_for = speaking_for(options)});
  // A tool speaking for a member presents its own certificate; the member's is in the credential.
  return ch.members.authenticate(authorization.caller.str(), authorization.tool ? nullptr : &chain.front());
}

rpc::Value sfa_credentials(std::string xml) {
  return rpc::Array{rpc::Value(rpc::Struct{{"geni_type", rpc::Value("geni_sfa")},
                                           {"geni_version", rpc::Value("3")},
                                           {"geni_value", rpc::Value(std::move(xml))}})};
}

rpc::Struct version_struct(const std::string& urn, const std::vector<std::string>& services, const std::string& url) {
  rpc::Array service_names(services.begin(), services.end());
  return {{"VERSION", rpc::Value("2")},
          {"URN", rpc::Value(urn)},
          {"IMPLEMENTATION", rpc::Value(rpc::Struct{{"code_tag", rpc::Value("federa")}})},
          {"SERVICES", rpc::Value(std::move(service_names))},
          {"CREDENTIAL_TYPES",
           rpc::Value(
               rpc::Array{rpc::Value(rpc::Struct{{"type", rpc::Value("geni_sfa")}, {"version", rpc::Value("3")}}),
                          rpc::Value(rpc::Struct{{"type", rpc::Value("geni_abac")}, {"version", rpc::Value("1")}})})},
          {"API_VERSIONS", rpc::Value(rpc::Struct{{"2", rpc::Value(url)}})},
          {"FIELDS", rpc::Value(rpc::Struct{})}};
}

}  // namespace federa::ch
