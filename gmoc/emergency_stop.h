// Emergency stop across a federation: AM API v3 Shutdown(slice_urn, credentials, {}) on every
// aggregate given, one after another, as the operator (TLS client certificate and key) with the
// operator's credentials for that slice (every *.xml in the credentials directory whose target is
// the slice). Each aggregate's answer is reported separately: the GENI code and output, or the
// transport error; one aggregate failing never stops the calls to the others.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gmoc/collector_store.h"
#include "rpc/tls_context.h"

namespace federa::gmoc {

struct OperatorIdentity {
  rpc::ClientTlsConfig tls;
  std::filesystem::path credentials_dir;
};

struct StopOutcome {
  std::string aggregate_id;
  std::string am_url;
  bool stopped = false;
  int geni_code = -1;  // -1: no AM API answer (transport error, fault, no credential)
  std::string output;
};

// The credentials (XML) in `dir` whose target is `slice_urn`.
std::vector<std::string> credentials_for(const std::filesystem::path& dir, const std::string& slice_urn);

std::vector<StopOutcome> emergency_stop(const std::string& slice_urn, const std::vector<AggregateEndpoint>& targets,
                                        const OperatorIdentity& identity);

}  // namespace federa::gmoc
