#include "clearinghouse/ch_config.h"

#include "common/data_dir.h"
#include "common/toml_config.h"
#include "rpc/server_section.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <limits>
#include <set>
#include <stdexcept>

#ifndef FEDERA_DEFAULT_SCHEMA_DIR
#define FEDERA_DEFAULT_SCHEMA_DIR "/usr/share/federa/schema"
#endif

namespace federa::ch {
namespace {

namespace fs = std::filesystem;

using toml_config::bad;
using toml_config::read;

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = [] {
    std::set<std::string> all = rpc::server_section_keys();
    all.insert({"clearinghouse.authority", "paths.data_dir", "paths.database", "paths.schema_dir", "tls.certificate",
                "tls.private_key", "tls.trust_roots", "tls.ca_certificate", "tls.ca_private_key",
                "policy.slice_default_days", "policy.slice_max_days", "policy.require_project",
                "policy.user_credential_days", "policy.certificate_days", "log.level"});
    return all;
  }();
  return keys;
}

void reject_unknown_keys(const toml::table& table, const fs::path& file) {
  for (const auto& [section, node] : table) {
    const std::string name(section.str());
    if (name == "aggregates" || name == "peers") {
      if (!node.is_array_of_tables()) bad(file, name, "must be an array of tables ([[" + name + "]])");
      continue;
    }
    const auto* members = node.as_table();
    if (!members) bad(file, name, "unknown setting (expected a [section])");
    for (const auto& [key, value] : *members) {
      const std::string full = name + "." + std::string(key.str());
      if (!known_keys().contains(full)) bad(file, full, "unknown setting (see `federa ch --help`)");
    }
  }
}

// [[aggregates]] or [[peers.aggregates]] entries: urn, url (required), name, description, api_version.
void read_aggregates(const toml::array* entries, const fs::path& file, const std::string& where,
                     const std::string& federation, std::vector<ServiceEntry>& out) {
  if (!entries) return;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const toml::node_view<const toml::node> entry{entries->get(i)};
    const std::string key = where + "[" + std::to_string(i) + "]";
    ServiceEntry service{.type = ServiceType::kAggregateManager, .federation = federation};
    read(entry, file, "urn", service.urn);
    read(entry, file, "url", service.url);
    read(entry, file, "name", service.name);
    read(entry, file, "description", service.description);
    read(entry, file, "api_version", service.api_version);
    if (service.urn.empty() || service.url.empty()) bad(file, key, "needs urn and url");
    out.push_back(std::move(service));
  }
}

void read_peers(const toml::table& table, const fs::path& file, std::vector<ServiceEntry>& out) {
  const toml::array* peers = table["peers"].as_array();
  if (!peers) return;
  for (std::size_t i = 0; i < peers->size(); ++i) {
    const toml::node_view<const toml::node> peer{peers->get(i)};
    const std::string key = "peers[" + std::to_string(i) + "]";
    std::string name;
    read(peer, file, "name", name);
    if (name.empty()) bad(file, key, "needs a name (the peer federation's name)");
    read_aggregates(peer["aggregates"].as_array(), file, key + ".aggregates", name, out);
  }
}

}  // namespace

bool ChConfig::uses_local_ca() const {
  return certificate == data_dir / "ch" / "ch-cert.pem" && private_key == data_dir / "ch" / "ch-key.pem" &&
         ca_certificate == data_dir / "ca" / "ca-cert.pem" && ca_private_key == data_dir / "ca" / "ca-key.pem";
}

ChConfig load_ch_config(const fs::path& file) {
  ChConfig config;
  if (file.empty()) return config;
  const toml::table table = toml_config::parse_file(file);
  reject_unknown_keys(table, file);
  rpc::read_server_section(table, file, config);
  read(table, file, "clearinghouse.authority", config.authority);
  read(table, file, "paths.data_dir", config.data_dir);
  read(table, file, "paths.database", config.database);
  read(table, file, "paths.schema_dir", config.schema_dir);
  read(table, file, "tls.certificate", config.certificate);
  read(table, file, "tls.private_key", config.private_key);
  read(table, file, "tls.trust_roots", config.trust_roots);
  read(table, file, "tls.ca_certificate", config.ca_certificate);
  read(table, file, "tls.ca_private_key", config.ca_private_key);
  read(table, file, "policy.slice_default_days", config.slice_policy.default_lifetime);
  read(table, file, "policy.slice_max_days", config.slice_policy.max_lifetime);
  read(table, file, "policy.require_project", config.slice_policy.require_project);
  read(table, file, "policy.user_credential_days", config.member_policy.user_credential_lifetime);
  read(table, file, "policy.certificate_days", config.member_policy.certificate_lifetime);
  read(table, file, "log.level", config.log_level);
  if (config.slice_policy.default_lifetime > config.slice_policy.max_lifetime) {
    bad(file, "policy.slice_default_days", "is longer than policy.slice_max_days");
  }
  read_aggregates(table["aggregates"].as_array(), file, "aggregates", "", config.aggregates);
  read_peers(table, file, config.aggregates);
  return config;
}

void resolve_paths(ChConfig& config) {
  if (config.data_dir.empty()) config.data_dir = default_data_dir();
  if (config.schema_dir.empty()) {
    const char* dir = std::getenv("FEDERA_SCHEMA_DIR");
    config.schema_dir = dir && *dir ? fs::path(dir) : fs::path(FEDERA_DEFAULT_SCHEMA_DIR);
  }
  if (config.database.empty()) config.database = (config.data_dir / "ch" / "ch.db").string();
  if (config.certificate.empty()) config.certificate = config.data_dir / "ch" / "ch-cert.pem";
  if (config.private_key.empty()) config.private_key = config.data_dir / "ch" / "ch-key.pem";
  if (config.trust_roots.empty()) config.trust_roots = config.data_dir / "trusted_roots";
  if (config.ca_certificate.empty()) config.ca_certificate = config.data_dir / "ca" / "ca-cert.pem";
  if (config.ca_private_key.empty()) config.ca_private_key = config.data_dir / "ca" / "ca-key.pem";
}

std::vector<ServiceEntry> configured_services(const ChConfig& config, const std::string& base_url) {
  std::vector<ServiceEntry> services = {
      {ServiceType::kSliceAuthority, "urn:publicid:IDN+" + config.authority + "+authority+sa", base_url + "/SA", "SA",
       "federa slice authority", 2, ""},
      {ServiceType::kMemberAuthority, "urn:publicid:IDN+" + config.authority + "+authority+ma", base_url + "/MA", "MA",
       "federa member authority", 2, ""}};
  services.insert(services.end(), config.aggregates.begin(), config.aggregates.end());
  return services;
}

std::string settings_help() {
  return R"(Configuration file (TOML; every key optional, shown with its default):
  [server]
  listen = "127.0.0.1"          # address to listen on
  port = 8000
  public_url = ""               # base URL clients use, e.g. "https://ch.example.org:8000";
                                #   "" = taken from each call's Host header
  io_threads = 2                # also worker_threads, max_body_bytes, max_connections,
  worker_threads = 8            #   idle_timeout, header_timeout, body_timeout as for federa am
  [clearinghouse]
  authority = "federa.local"    # members urn:publicid:IDN+<authority>+user+<name>, slices
                                #   urn:publicid:IDN+<authority>[:<project>]+slice+<name>
  [paths]
  data_dir = "~/.local/share/federa"   # or $FEDERA_DATA_DIR
  database = "<data_dir>/ch/ch.db"     # SQLite file, or postgresql://user@host/db
  schema_dir = "<built-in>"            # or $FEDERA_SCHEMA_DIR: holds ch/{common,sqlite,postgresql}
  [tls]
  certificate = "<data_dir>/ch/ch-cert.pem"   # server certificate chain (PEM)
  private_key = "<data_dir>/ch/ch-key.pem"
  trust_roots = "<data_dir>/trusted_roots"    # callers must chain to one of these; SIGHUP reloads
  ca_certificate = "<data_dir>/ca/ca-cert.pem"  # the authority that issues member and slice
  ca_private_key = "<data_dir>/ca/ca-key.pem"   #   certificates and signs credentials
  [policy]
  slice_default_days = 7        # expiration of a new slice that asks for none
  slice_max_days = 185          # no slice expiration may be further than this from now
  require_project = false       # true: every slice belongs to a project (SLICE_PROJECT_URN)
  user_credential_days = 30
  certificate_days = 365        # lifetime of member certificates
  [log]
  level = "info"
  [[aggregates]]                # aggregates of this federation (also: federa ch aggregate add)
  urn = "urn:publicid:IDN+federa.local+authority+am"
  url = "https://127.0.0.1:8001/am/3.0"
  name = "federa"               # optional, as are description and api_version (3)
  [[peers]]                     # a peer federation whose aggregates this registry also lists
  name = "other"
  [[peers.aggregates]]
  urn = "urn:publicid:IDN+other.org+authority+am"
  url = "https://am.other.org/am/3.0"
When the TLS and authority files are the defaults, federa ch creates the local CA in
<data_dir>/ca (shared with federa am) and its own certificate on first start.
)";
}

}  // namespace federa::ch
