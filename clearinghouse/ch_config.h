// Configuration of `federa ch`: one TOML file, every setting with a default, so `federa ch` with
// no file runs a local federation on https://127.0.0.1:8000 with the local CA of the data
// directory (<data_dir>/ca) as its slice and member authority, SQLite in <data_dir>/ch/ch.db, and
// the trust roots <data_dir>/trusted_roots that `federa am` on the same data directory uses.
// settings_help() documents every key; `federa ch --help` prints it.
#pragma once

#include "clearinghouse/federation_registry.h"
#include "clearinghouse/member_authority.h"
#include "clearinghouse/slice_authority.h"
#include "rpc/https_server.h"

#include <filesystem>
#include <string>
#include <vector>

namespace federa::ch {

struct ChConfig {
  std::string listen_address = "127.0.0.1";
  unsigned short port = 8000;
  std::string public_url;                  // "" = from the Host header of each call
  std::string authority = "federa.local";  // URN authority of members, slices, projects
  std::filesystem::path data_dir;          // default: $FEDERA_DATA_DIR or ~/.local/share/federa
  std::string database;                    // default: <data_dir>/ch/ch.db (SQLite); or postgresql://...
  std::filesystem::path schema_dir;        // default: $FEDERA_SCHEMA_DIR or the built-in schema folder
  std::filesystem::path certificate;       // TLS: default <data_dir>/ch/ch-cert.pem (local CA)
  std::filesystem::path private_key;       // default <data_dir>/ch/ch-key.pem
  std::filesystem::path trust_roots;       // default <data_dir>/trusted_roots
  std::filesystem::path ca_certificate;    // signing authority: default <data_dir>/ca/ca-cert.pem
  std::filesystem::path ca_private_key;    // default <data_dir>/ca/ca-key.pem
  SlicePolicy slice_policy;
  MemberPolicy member_policy;
  std::vector<ServiceEntry> aggregates;  // [[aggregates]] of this federation and [[peers]]' aggregates
  std::string log_level = "info";
  rpc::ServerLimits limits;

  std::string registry_urn() const { return "urn:publicid:IDN+" + authority + "+authority+ch"; }
  // True when the TLS certificate and the signing authority are the local CA's defaults.
  bool uses_local_ca() const;
};

// Reads a TOML file (empty path: defaults only). Throws std::runtime_error naming the file, the
// key and what is wrong.
ChConfig load_ch_config(const std::filesystem::path& file);

// Fills data_dir-relative defaults; call after command-line overrides.
void resolve_paths(ChConfig& config);

// The registry's own entries: this clearinghouse's slice and member authorities at `base_url`,
// then the configured aggregates.
std::vector<ServiceEntry> configured_services(const ChConfig& config, const std::string& base_url);

std::string settings_help();

}  // namespace federa::ch
