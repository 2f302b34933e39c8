#include "gmoc/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <set>
#include <stdexcept>

namespace federa::gmoc {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void bad(const fs::path& file, const std::string& key, const std::string& why) {
  throw std::runtime_error(file.string() + ": " + key + ": " + why);
}

toml::table parse(const fs::path& file, const std::set<std::string>& known) {
  if (file.empty() || !fs::exists(file)) return {};
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    bad(file, "syntax", std::string(error.description()));
  }
  for (const auto& [section, node] : table) {
    const std::string name(section.str());
    if (name == "aggregate" && node.is_array()) continue;
    const auto* members = node.as_table();
    if (!members) bad(file, name, "unknown setting (expected a [section])");
    if (name == "operators") continue;
    for (const auto& [key, value] : *members) {
      if (!known.contains(name + "." + std::string(key.str()))) bad(file, name + "." + std::string(key.str()), "unknown setting");
    }
  }
  return table;
}

template <class T>
void read(const toml::table& table, const fs::path& file, const std::string& key, T& out) {
  const auto node = table.at_path(key);
  if (!node) return;
  if constexpr (std::is_same_v<T, bool>) {
    if (!node.is_boolean()) bad(file, key, "must be true or false");  // value<bool>() would take 1
    out = *node.template value<bool>();
  } else if constexpr (std::is_same_v<T, fs::path> || std::is_same_v<T, std::string>) {
    const auto value = node.template value<std::string>();
    if (!value) bad(file, key, "must be a string");
    out = *value;
  } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
    const auto value = node.template value<double>();
    if (!value || *value <= 0) bad(file, key, "must be a positive number of seconds");
    out = std::chrono::milliseconds(static_cast<std::int64_t>(*value * 1000));
  } else {
    const auto value = node.template value<std::int64_t>();
    if (!value || *value < 0 || *value > std::numeric_limits<T>::max()) bad(file, key, "must be a number in range");
    out = static_cast<T>(*value);
  }
}

std::vector<std::string> read_list(const toml::table& table, const fs::path& file, const std::string& key) {
  std::vector<std::string> list;
  const auto node = table.at_path(key);
  if (!node) return list;
  const auto* array = node.as_array();
  if (!array) bad(file, key, "must be a list of strings");
  for (const auto& item : *array) {
    const auto value = item.value<std::string>();
    if (!value) bad(file, key, "must be a list of strings");
    list.push_back(*value);
  }
  return list;
}

}  // namespace

AmOpsConfig load_am_ops_config(const fs::path& file, const std::string& authority, const fs::path& data_dir,
                               const rpc::ClientTlsConfig& tls) {
  const toml::table table =
      parse(file, {"aggregate.id", "aggregate.organization", "aggregate.contact_email", "datastore.collectors",
                   "datastore.public_url", "history.sample_interval", "history.retention_days", "push.url",
                   "push.interval", "push.retry_max", "push.spool_dir"});
  AmOpsConfig config;
  config.id = authority;
  std::replace(config.id.begin(), config.id.end(), '.', '-');
  read(table, file, "aggregate.id", config.id);
  read(table, file, "aggregate.organization", config.organization);
  read(table, file, "aggregate.contact_email", config.contact_email);
  config.datastore.collectors = read_list(table, file, "datastore.collectors");
  read(table, file, "datastore.public_url", config.datastore.public_url);
  read(table, file, "history.sample_interval", config.reporter.sample_interval);
  int retention_days = 7;
  read(table, file, "history.retention_days", retention_days);
  config.reporter.retention = std::chrono::hours(24 * retention_days);
  PushOptions push{"", std::chrono::milliseconds(30'000), std::chrono::milliseconds(60'000), data_dir / "gmoc-spool", tls};
  read(table, file, "push.url", push.url);
  read(table, file, "push.interval", push.interval);
  read(table, file, "push.retry_max", push.retry_max);
  read(table, file, "push.spool_dir", push.spool_dir);
  if (!push.url.empty()) config.reporter.push = push;
  return config;
}

GmocConfig load_gmoc_config(const fs::path& file, const fs::path& data_dir) {
  const toml::table table = parse(
      file, {"server.listen", "server.port", "server.dashboard_listen", "server.dashboard_port", "tls.certificate",
             "tls.private_key", "tls.trust_roots", "store.uri", "paths.schema_dir", "paths.web_dir", "poll.interval",
             "poll.datastores", "poll.lookback", "poll.overlap",
             "operator.certificate", "operator.private_key", "operator.credentials_dir"});
  GmocConfig config;
  config.data_dir = data_dir;
  config.certificate = data_dir / "gmoc" / "gmoc-cert.pem";
  config.private_key = data_dir / "gmoc" / "gmoc-key.pem";
  config.trust_roots = data_dir / "trusted_roots";
  config.store = "sqlite:///" + (data_dir / "gmoc.db").string();
  read(table, file, "server.listen", config.listen);
  read(table, file, "server.port", config.port);
  read(table, file, "server.dashboard_listen", config.dashboard_listen);
  read(table, file, "server.dashboard_port", config.dashboard_port);
  read(table, file, "tls.certificate", config.certificate);
  read(table, file, "tls.private_key", config.private_key);
  read(table, file, "tls.trust_roots", config.trust_roots);
  read(table, file, "store.uri", config.store);
  read(table, file, "paths.schema_dir", config.schema_dir);
  read(table, file, "paths.web_dir", config.web_dir);
  read(table, file, "poll.interval", config.probe_interval);
  read(table, file, "poll.datastores", config.poll_datastores);
  read(table, file, "poll.lookback", config.poll.lookback);
  read(table, file, "poll.overlap", config.poll.overlap);
  config.poll.tls = {config.certificate, config.private_key};
  config.operator_identity = {{config.certificate, config.private_key}, data_dir / "operator-credentials"};
  read(table, file, "operator.certificate", config.operator_identity.tls.certificate_chain);
  read(table, file, "operator.private_key", config.operator_identity.tls.private_key);
  read(table, file, "operator.credentials_dir", config.operator_identity.credentials_dir);
  if (const auto* operators = table["operators"].as_table()) {
    for (const auto& [name, token] : *operators) {
      const auto value = token.value<std::string>();
      if (!value || value->size() < 16) bad(file, "operators." + std::string(name.str()), "must be a token of 16+ characters");
      config.operators[*value] = std::string(name.str());
    }
  }
  if (const auto* aggregates = table["aggregate"].as_array()) {
    for (const auto& entry : *aggregates) {
      const auto* item = entry.as_table();
      const auto id = item ? (*item)["id"].value<std::string>() : std::nullopt;
      const auto url = item ? (*item)["url"].value<std::string>() : std::nullopt;
      if (!id || !url) bad(file, "aggregate", "each [[aggregate]] needs id and url (the AM API base URL)");
      const auto datastore = (*item)["datastore"];
      if (datastore && !datastore.is_string()) bad(file, "aggregate.datastore", "must be a string (an https:// URL)");
      config.aggregates.push_back({*id, *url, datastore.value_or(*url)});
    }
  }
  return config;
}

std::string gmoc_settings_help() {
  return R"(Configuration file (TOML; every key optional, shown with its default):
  [server]
  listen = "127.0.0.1"          # HTTPS: POST /gmoc/push from aggregates (trusted certificates)
  port = 8443
  dashboard_listen = "127.0.0.1"  # plain HTTP dashboard: keep on loopback or behind a proxy
  dashboard_port = 8080
  [tls]
  certificate = "<data_dir>/gmoc/gmoc-cert.pem"  # the collector's identity: pushes and polls
  private_key = "<data_dir>/gmoc/gmoc-key.pem"
  trust_roots = "<data_dir>/trusted_roots"
  [store]
  uri = "sqlite:///<data_dir>/gmoc.db"   # or postgresql://user@host:port/db
  [paths]
  schema_dir = "<source>/schema"  web_dir = "<source>/gmoc/web"
  [poll]
  interval = 30                 # seconds between rounds: GetVersion health probe of every
                                #   aggregate and a poll of every datastore
  datastores = true             # poll the datastores of the [[aggregate]] entries
  lookback = 3600               # seconds of time series the first poll of an aggregate reads
  overlap = 60                  # seconds each poll re-reads before the previous one's end
  [operator]
  certificate = <tls.certificate>  private_key = <tls.private_key>  # whom Shutdown is called as
  credentials_dir = "<data_dir>/operator-credentials"   # *.xml slice credentials of that identity
  [operators]
  noc-alice = "a-long-random-token"   # dashboard API bearer tokens (16+ characters) -> names
  [[aggregate]]                 # aggregates to probe and poll before (or without) their pushes
  id = "utah-ig"                # the aggregate's monitoring id ([aggregate] id of its ops.toml)
  url = "https://am.utah.example:8001"   # AM API base URL (health probe, Shutdown)
  datastore = "<url>"           # datastore base URL (GET /info/..., /data/), default url
)";
}

}  // namespace federa::gmoc
