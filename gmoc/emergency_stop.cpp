#include "gmoc/emergency_stop.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "clearinghouse/credential.h"
#include "clearinghouse/urn.h"
#include "common/log.h"
#include "gmoc/https_url.h"
#include "rpc/https_client.h"

namespace federa::gmoc {
namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rpc::Array wire_credentials(const std::vector<std::string>& credentials) {
  rpc::Array wire;
  for (const std::string& xml : credentials) {
    wire.push_back(rpc::Struct{{"geni_type", "geni_sfa"}, {"geni_version", "3"}, {"geni_value", xml}});
  }
  return wire;
}

StopOutcome shutdown_at(const AggregateEndpoint& target, const std::string& slice_urn, const rpc::Array& credentials,
                        const rpc::TlsContext& tls) {
  StopOutcome outcome{target.id, target.am_url, false, -1, ""};
  try {
    const HttpsUrl url = parse_https_url(target.am_url);
    rpc::HttpsClient client(url.host, url.port, tls, false);
    const rpc::MethodResponse response =
        client.call(url.path + "/am/3.0", "Shutdown", {rpc::Value(slice_urn), rpc::Value(credentials), rpc::Value(rpc::Struct{})});
    if (response.is_fault) {
      outcome.output = "XML-RPC fault: " + response.value.as_struct().at("faultString").as_string();
      return outcome;
    }
    const rpc::Struct& answer = response.value.as_struct();
    outcome.geni_code = static_cast<int>(answer.at("code").as_struct().at("geni_code").as_int());
    outcome.output = answer.at("output").as_string();
    outcome.stopped = outcome.geni_code == 0;
  } catch (const std::exception& error) {
    outcome.output = error.what();
  }
  return outcome;
}

}  // namespace

std::vector<std::string> credentials_for(const std::filesystem::path& dir, const std::string& slice_urn) {
  std::vector<std::string> found;
  if (!std::filesystem::is_directory(dir)) return found;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::string xml = read_text(file);
    try {
      if (trust::same_urn(trust::SignedCredential::parse(xml).credential().target_urn, slice_urn)) {
        found.push_back(std::move(xml));
      }
    } catch (const std::exception& error) {
      logger("gmoc")->warn("event=credential_unreadable file={} error={}", log_value(file.string()), log_value(error.what()));
    }
  }
  return found;
}

std::vector<StopOutcome> emergency_stop(const std::string& slice_urn, const std::vector<AggregateEndpoint>& targets,
                                        const OperatorIdentity& identity) {
  const auto credentials = credentials_for(identity.credentials_dir, slice_urn);
  std::vector<StopOutcome> outcomes;
  if (credentials.empty()) {
    for (const AggregateEndpoint& target : targets) {
      outcomes.push_back({target.id, target.am_url, false, -1,
                          "no operator credential for " + slice_urn + " in " + identity.credentials_dir.string() +
                              " (get one from the slice authority and put it there)"});
    }
    return outcomes;
  }
  const rpc::TlsContext tls = rpc::make_client_tls_context(identity.tls);
  const rpc::Array wire = wire_credentials(credentials);
  for (const AggregateEndpoint& target : targets) outcomes.push_back(shutdown_at(target, slice_urn, wire, tls));
  return outcomes;
}

}  // namespace federa::gmoc
