// The AM API return struct {code: {geni_code, am_type, am_code}, value, output}. Every AM API
// answer, success or failure, is this struct (never an XML-RPC fault) so clients can read the
// geni_code and a message a person can act on.
#pragma once

#include <string>

#include "common/geni_error.h"
#include "rpc/xmlrpc_value.h"

namespace federa::am {

inline constexpr const char* kAmType = "federa";

rpc::Struct geni_success(rpc::Value value);
rpc::Struct geni_failure(GeniCode code, const std::string& output);

}  // namespace federa::am
