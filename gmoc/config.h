// The two TOML files of operations, every key optional with a default (docs/operations.md):
//  - the aggregate's ops.toml (read by `federa am` from its data directory): its monitoring id,
//    organization, datastore whitelist, sampling and push settings;
//  - the collector's gmoc.toml (`federa gmoc --config`): listeners, TLS, store, operator
//    identity and dashboard tokens, aggregates to probe and whose datastores to poll.
// Unknown keys and wrong types are refused with std::runtime_error naming file and key.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gmoc/collector.h"
#include "gmoc/datastore.h"
#include "gmoc/poller.h"
#include "gmoc/reporter.h"

namespace federa::gmoc {

struct AmOpsConfig {
  std::string id;  // default: the authority with '.' replaced by '-'
  std::string organization;
  std::string contact_email;
  DatastoreOptions datastore;
  ReporterOptions reporter;  // push: when push.url is set; spool default <data_dir>/gmoc-spool
};

// `file` may not exist (defaults). tls: the aggregate's certificate and key, for pushing.
AmOpsConfig load_am_ops_config(const std::filesystem::path& file, const std::string& authority,
                               const std::filesystem::path& data_dir, const rpc::ClientTlsConfig& tls);

struct GmocConfig {
  std::string listen = "127.0.0.1";
  unsigned short port = 8443;  // HTTPS: pushes from aggregates
  std::string dashboard_listen = "127.0.0.1";
  unsigned short dashboard_port = 8080;  // plain HTTP: the dashboard
  std::filesystem::path data_dir;
  std::filesystem::path certificate, private_key, trust_roots;  // defaults in data_dir/gmoc/
  std::string store;                                            // default sqlite:///<data_dir>/gmoc.db
  std::filesystem::path schema_dir = FEDERA_GMOC_SCHEMA_DIR;
  std::filesystem::path web_dir = FEDERA_GMOC_WEB_DIR;
  std::chrono::milliseconds probe_interval{30'000};  // [poll] interval: health probes and datastore polls
  bool poll_datastores = true;                       // [poll] datastores
  PollOptions poll;  // tls: the collector's certificate; [poll] lookback, overlap
  OperatorIdentity operator_identity;  // default: the collector's own certificate
  std::map<std::string, std::string> operators;  // token -> name, from [operators] name = "token"
  std::vector<AggregateEndpoint> aggregates;     // [[aggregate]] id, url, datastore (default url)
};

GmocConfig load_gmoc_config(const std::filesystem::path& file, const std::filesystem::path& data_dir);

// Every key of gmoc.toml with its default, for `federa gmoc --help`.
std::string gmoc_settings_help();

}  // namespace federa::gmoc
