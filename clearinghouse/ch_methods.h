// The Federation API v2 methods of the clearinghouse's three services, registered on a
// ChService over the plain authority classes. Generic v2 methods name the object type first
// (create("SLICE", credentials, options)); the v1 names omni also calls (create_slice(credentials,
// options)) are the same handlers without the type. Every SA and MA call authenticates its
// caller: the TLS chain verified against the trust roots, any credentials verified, speaks-for
// applied (options speaking_for / geni_speaking_for with a geni_abac credential), and the
// effective caller a member in good standing presenting the certificate the member authority
// issued to them (MemberAuthority::authenticate). Registry calls
// only need the TLS handshake.
#pragma once

#include "clearinghouse/authorizer.h"
#include "clearinghouse/ch_query.h"
#include "clearinghouse/ch_service.h"
#include "clearinghouse/federation_registry.h"
#include "clearinghouse/member_authority.h"
#include "clearinghouse/slice_authority.h"
#include "clearinghouse/sliver_records.h"

#include <functional>
#include <string>
#include <vector>

namespace federa::ch {

struct Clearinghouse {
  SliceAuthority& slices;
  MemberAuthority& members;
  SliverRecords& slivers;
  FederationRegistry& registry;
  const trust::Authorizer& authorizer;
};

// The arguments of one call: v2 generic methods pass the object type first (offset 1), v1
// methods do not (offset 0); `i` counts from the first argument after the type.
struct Args {
  const ChCall& call;
  std::size_t offset;

  std::string text(std::size_t i, std::string_view name) const { return string_param(call.params, offset + i, name); }
  const rpc::Struct& options(std::size_t i) const { return options_param(call.params, offset + i); }
  std::vector<trust::WireCredential> credentials(std::size_t i) const {
    return credentials_param(call.params, offset + i);
  }
};

using ObjectMethod = std::function<rpc::Value(const Args&)>;

// One (verb, object type) pair: its handler and its v1 method name ("" when it has none).
struct ObjectVerb {
  std::string verb;  // "create", "update", "delete", "lookup", ...
  std::string type;  // "SLICE", "MEMBER", ...
  std::string v1_name;
  ObjectMethod method;
};

// A handler over the clearinghouse.
ObjectMethod bound(Clearinghouse& ch, rpc::Value (*method)(Clearinghouse&, const Args&));

// Registers each verb as a v2 method dispatching on its type, and every v1 name.
void add_object_methods(ChService& service, Endpoint endpoint, const std::vector<ObjectVerb>& rows);

// The authenticated member behind a call whose credentials are argument `credentials_index`.
Member authenticate(Clearinghouse& ch, const Args& args, std::size_t credentials_index, const rpc::Struct& options);
// The caller's URN from the TLS chain and trust roots only (no membership required).
std::string verified_caller(Clearinghouse& ch, const ChCall& call);

// The get_credentials answer: [{geni_type: "geni_sfa", geni_version: "3", geni_value: xml}].
rpc::Value sfa_credentials(std::string xml);

// get_version's common part: {VERSION, URN, IMPLEMENTATION, SERVICES, CREDENTIAL_TYPES, API_VERSIONS}.
rpc::Struct version_struct(const std::string& urn, const std::vector<std::string>& services, const std::string& url);

void add_registry_methods(ChService& service, Clearinghouse& ch, const std::string& registry_urn);
void add_slice_authority_methods(ChService& service, Clearinghouse& ch);
void add_member_authority_methods(ChService& service, Clearinghouse& ch);

}  // namespace federa::ch
