// GetVersion for AM API v3 and v2 (call-getversion.adoc, am-api-notes §9): the API versions this
// aggregate serves with their URLs as the caller reached the server, the RSpec versions and
// extensions it reads and writes, the credential types it accepts, its allocation style and URN.
#pragma once

#include <string>

#include "rpc/xmlrpc_value.h"

namespace federa::am {

enum class ApiVersion { kV2 = 2, kV3 = 3 };

struct VersionFacts {
  std::string base_url;       // "https://127.0.0.1:8001", no trailing slash
  std::string aggregate_urn;  // urn:publicid:IDN+<authority>+authority+am
};

// The whole return struct (with the top-level geni_api next to code, value and output).
rpc::Struct get_version(ApiVersion version, const VersionFacts& facts);

}  // namespace federa::am
