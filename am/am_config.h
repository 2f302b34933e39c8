// Configuration of `federa am`: one TOML file, every setting with a default, so `federa am` with
// no file runs on embedded defaults (local CA in the data directory, 127.0.0.1:8001).
// settings_help() documents every key; `federa am --help` prints it.
#pragma once

#include <filesystem>
#include <string>

#include "federation/node_driver.h"
#include "rpc/https_server.h"

#include <map>

namespace federa::am {

// [backend] and [images.<name>]: how provisioned slivers become nodes and links (provisioner.h).
struct BackendConfig {
  bool worker = true;                     // run the backend worker in this process
  std::filesystem::path state_dir;        // default: <data_dir>/backend (overlays, seeds, consoles)
  std::string accelerator = "tcg";        // QEMU hosts: "tcg", or "kvm" where a stock guest boots
  std::string default_image = "default";  // for requests naming no disk image
  std::chrono::milliseconds interval{1000};
  std::string login_host = "127.0.0.1";  // what manifests tell experimenters to ssh to
  std::string login_bind = "0.0.0.0";    // where the forwarded login ports listen
  int first_login_port = 22000;          // login_ports = "22000-22999"
  int login_ports = 1000;
  std::map<std::string, federation::Image> images;  // none configured: "default", an empty image
};

struct AmConfig {
  std::string listen_address = "127.0.0.1";
  unsigned short port = 8001;
  std::string public_url;              // "" = from the Host header of each call
  std::string authority = "federa.local";  // the aggregate's URN authority
  std::filesystem::path data_dir;      // default: $FEDERA_DATA_DIR or ~/.local/share/federa
  std::filesystem::path certificate;   // default: <data_dir>/am/am-cert.pem (local CA)
  std::filesystem::path private_key;   // default: <data_dir>/am/am-key.pem
  std::filesystem::path trust_roots;   // default: <data_dir>/trusted_roots
  std::string log_level = "info";
  std::string db;                      // store URI; default: sqlite:///<data_dir>/am.db
  std::filesystem::path schema_dir;    // SQL migrations; default: the installed/source schema/
  std::filesystem::path inventory;     // "" = one embedded site on the libvirt test driver
  std::chrono::seconds allocation_lifetime{600};
  std::chrono::seconds max_lease{7 * 24 * 3600};
  std::chrono::milliseconds reap_interval{30'000};
  rpc::ServerLimits limits;
  BackendConfig backend;

  std::string aggregate_urn() const { return "urn:publicid:IDN+" + authority + "+authority+am"; }
  // True when certificate and key are the local CA's defaults (created on first start).
  bool uses_local_ca() const;
};

// Reads a TOML file (empty path: defaults only), then fills the path defaults from data_dir.
// Throws std::runtime_error naming the file, the key and what is wrong.
AmConfig load_am_config(const std::filesystem::path& file);

// Fills data_dir-relative defaults; call after command-line overrides.
void resolve_paths(AmConfig& config);

std::string settings_help();

// The inventory used when none is configured: one site with four hosts on test:///default.
std::string default_inventory_toml(const std::string& authority);

}  // namespace federa::am
