// Decoding AM API arguments and options from XML-RPC values, and encoding the pieces every
// answer shares (sliver status structs, RFC 3339 times, compressed RSpecs). A wrong type or a
// missing mandatory argument is a GeniError(BADARGS) that names the argument.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "am/get_version.h"
#include "am/slice_store.h"
#include "clearinghouse/authorizer.h"
#include "rpc/xmlrpc_value.h"

namespace federa::am {

const rpc::Value& argument(const rpc::Array& params, std::size_t index, const char* name);
const rpc::Struct& options_argument(const rpc::Array& params, std::size_t index);
std::string string_argument(const rpc::Array& params, std::size_t index, const char* name);
std::vector<std::string> urns_argument(const rpc::Array& params, std::size_t index);
std::vector<trust::WireCredential> credentials_argument(const rpc::Array& params, std::size_t index, ApiVersion version);
// A time given as dateTime.iso8601 or an RFC 3339 string.
Timestamp time_argument(const rpc::Value& value, const char* name);

bool bool_option(const rpc::Struct& options, const char* name);
std::optional<Timestamp> time_option(const rpc::Struct& options, const char* name);
std::optional<std::string> string_option(const rpc::Struct& options, const char* name);
// geni_users / v2 users: [{urn, keys: [...]}, ...]
std::vector<SliceUser> users_value(const rpc::Value& value);
// geni_rspec_version {type: GENI, version: 3}: BADARGS when absent, BADVERSION when not GENI 3.
void require_geni3_rspec_version(const rpc::Struct& options);

// base64(zlib(xml)) when geni_compressed is true, as omni expects; the XML otherwise.
std::string maybe_compressed(const std::string& xml, const rpc::Struct& options);

rpc::Value sliver_status(const SliverRecord& sliver, const std::string& error = "");
rpc::Array sliver_statuses(const std::vector<SliverRecord>& slivers);

}  // namespace federa::am
