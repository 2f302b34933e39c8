// The [server] section that federa's HTTPS services (`federa am`, `federa ch`) share in their
// TOML configuration: where the service listens, the URL it gives itself, and its HTTPS server's
// limits (ServerLimits). A service's config struct has the members `listen_address`, `port`,
// `public_url` and `limits`; read_server_section() fills those whose keys are present and
// reports a bad value as toml_config::read does. Header-only; users link toml++.
#pragma once

#include "common/toml_config.h"
#include "rpc/https_server.h"

#include <filesystem>
#include <set>
#include <string>

namespace federa::rpc {

// server.listen, server.port, ...: every key read_server_section() knows.
inline const std::set<std::string>& server_section_keys() {
  static const std::set<std::string> keys = {
      "server.listen",         "server.port",           "server.public_url",    "server.io_threads",
      "server.worker_threads", "server.max_body_bytes", "server.max_connections", "server.idle_timeout",
      "server.header_timeout", "server.body_timeout"};
  return keys;
}

template <typename ServiceConfig>
void read_server_section(const toml::table& table, const std::filesystem::path& file, ServiceConfig& config) {
  using toml_config::read;
  read(table, file, "server.listen", config.listen_address);
  read(table, file, "server.port", config.port);
  read(table, file, "server.public_url", config.public_url);
  read(table, file, "server.io_threads", config.limits.io_threads);
  read(table, file, "server.worker_threads", config.limits.worker_threads);
  read(table, file, "server.max_body_bytes", config.limits.max_body_bytes);
  read(table, file, "server.max_connections", config.limits.max_connections);
  read(table, file, "server.idle_timeout", config.limits.idle_timeout);
  read(table, file, "server.header_timeout", config.limits.header_timeout);
  read(table, file, "server.body_timeout", config.limits.body_timeout);
}

}  // namespace federa::rpc
