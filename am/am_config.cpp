#include "am/am_config.h"

#include "common/data_dir.h"
#include "common/toml_config.h"
#include "rpc/server_section.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

namespace federa::am {
namespace {


using toml_config::bad;
using toml_config::read;

void read_seconds(const toml::table& table, const std::filesystem::path& file, const std::string& key,
                  std::chrono::seconds& out) {
  std::chrono::milliseconds value = out;
  read(table, file, key, value);
  out = std::chrono::duration_cast<std::chrono::seconds>(value);
}

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = [] {
    std::set<std::string> all = rpc::server_section_keys();
    all.insert({"aggregate.authority", "paths.data_dir", "tls.certificate", "tls.private_key", "tls.trust_roots",
                "log.level", "store.uri", "paths.schema_dir", "aggregate.inventory", "aggregate.allocation_lifetime",
                "aggregate.max_lease", "aggregate.reap_interval", "backend.worker", "backend.state_dir",
                "backend.accelerator", "backend.default_image", "backend.interval", "backend.login_host",
                "backend.login_bind", "backend.login_ports"});
    return all;
  }();
  return keys;
}

const std::set<std::string>& image_keys() {
  static const std::set<std::string> keys = {"kernel", "initrd", "cmdline", "disk", "format"};
  return keys;
}

void read_login_ports(const toml::table& table, const std::filesystem::path& file, BackendConfig& backend) {
  std::string range;
  read(table, file, "backend.login_ports", range);
  if (range.empty()) return;
  int first = 0, last = 0;
  char dash = 0;
  std::istringstream in(range);
  if (!(in >> first >> dash >> last) || dash != '-' || first < 1 || last > 65535 || last < first) {
    bad(file, "backend.login_ports", "must be a port range like \"22000-22999\"");
  }
  backend.first_login_port = first;
  backend.login_ports = last - first + 1;
}

void read_images(const toml::table& table, const std::filesystem::path& file, BackendConfig& backend) {
  const toml::table* images = table["images"].as_table();
  if (!images) return;
  for (const auto& [name, node] : *images) {
    const std::string key = "images." + std::string(name.str());
    const toml::table* image_table = node.as_table();
    if (!image_table) bad(file, key, "must be a table: [" + key + "] with kernel, initrd, cmdline, disk, format");
    for (const auto& [member, value] : *image_table) {
      if (!image_keys().contains(std::string(member.str()))) bad(file, key + "." + std::string(member.str()), "unknown setting");
    }
    federation::Image image;
    read(*image_table, file, "kernel", image.kernel);
    read(*image_table, file, "initrd", image.initrd);
    read(*image_table, file, "cmdline", image.cmdline);
    read(*image_table, file, "disk", image.disk);
    read(*image_table, file, "format", image.disk_format);
    backend.images[std::string(name.str())] = std::move(image);
  }
}

void reject_unknown_keys(const toml::table& table, const std::filesystem::path& file) {
  for (const auto& [section, node] : table) {
    if (section.str() == "images") continue;  // read_images checks its own keys
    const auto* members = node.as_table();
    if (!members) bad(file, std::string(section.str()), "unknown setting (expected a [section])");
    for (const auto& [key, value] : *members) {
      const std::string name = std::string(section.str()) + "." + std::string(key.str());
      if (!known_keys().contains(name)) bad(file, name, "unknown setting (see `federa am --help`)");
    }
  }
}

}  // namespace

bool AmConfig::uses_local_ca() const {
  return certificate == data_dir / "am" / "am-cert.pem" && private_key == data_dir / "am" / "am-key.pem";
}

AmConfig load_am_config(const std::filesystem::path& file) {
  AmConfig config;
  if (file.empty()) return config;
  const toml::table table = toml_config::parse_file(file);
  reject_unknown_keys(table, file);
  rpc::read_server_section(table, file, config);
  read(table, file, "aggregate.authority", config.authority);
  read(table, file, "paths.data_dir", config.data_dir);
  read(table, file, "tls.certificate", config.certificate);
  read(table, file, "tls.private_key", config.private_key);
  read(table, file, "tls.trust_roots", config.trust_roots);
  read(table, file, "log.level", config.log_level);
  read(table, file, "store.uri", config.db);
  read(table, file, "paths.schema_dir", config.schema_dir);
  read(table, file, "aggregate.inventory", config.inventory);
  read_seconds(table, file, "aggregate.allocation_lifetime", config.allocation_lifetime);
  read_seconds(table, file, "aggregate.max_lease", config.max_lease);
  read(table, file, "aggregate.reap_interval", config.reap_interval);
  read(table, file, "backend.worker", config.backend.worker);
  read(table, file, "backend.state_dir", config.backend.state_dir);
  read(table, file, "backend.accelerator", config.backend.accelerator);
  read(table, file, "backend.default_image", config.backend.default_image);
  read(table, file, "backend.interval", config.backend.interval);
  if (config.backend.accelerator != "tcg" && config.backend.accelerator != "kvm") {
    bad(file, "backend.accelerator", "must be \"tcg\" or \"kvm\"");
  }
  read(table, file, "backend.login_host", config.backend.login_host);
  read(table, file, "backend.login_bind", config.backend.login_bind);
  read_login_ports(table, file, config.backend);
  read_images(table, file, config.backend);
  return config;
}

void resolve_paths(AmConfig& config) {
  if (config.data_dir.empty()) config.data_dir = default_data_dir();
  if (config.certificate.empty()) config.certificate = config.data_dir / "am" / "am-cert.pem";
  if (config.private_key.empty()) config.private_key = config.data_dir / "am" / "am-key.pem";
  if (config.trust_roots.empty()) config.trust_roots = config.data_dir / "trusted_roots";
  if (config.db.empty()) config.db = "sqlite://" + (config.data_dir / "am.db").string();
  if (config.schema_dir.empty()) config.schema_dir = FEDERA_DEFAULT_SCHEMA_DIR;
  if (config.backend.state_dir.empty()) config.backend.state_dir = config.data_dir / "backend";
  if (config.backend.images.empty()) config.backend.images[config.backend.default_image] = {};
}

std::string settings_help() {
  return R"(Configuration file (TOML; every key optional, shown with its default):
  [server]
  listen = "127.0.0.1"          # address to listen on
  port = 8001
  public_url = ""               # base URL clients use, e.g. "https://am.example.org:8001";
                                #   "" = taken from each call's Host header
  io_threads = 2                # TLS and HTTP I/O threads
  worker_threads = 8            # threads that run AM API calls
  max_body_bytes = 16777216     # larger requests get HTTP 413
  max_connections = 1024        # connections over the cap are closed at once
  idle_timeout = 60             # seconds a kept-alive connection may wait for its next call
  header_timeout = 10           # seconds from a request's first byte to the end of its headers
  body_timeout = 60             # seconds to receive a request body
  [aggregate]
  authority = "federa.local"    # aggregate URN: urn:publicid:IDN+<authority>+authority+am
  [paths]
  data_dir = "~/.local/share/federa"   # or $FEDERA_DATA_DIR
  [tls]
  certificate = "<data_dir>/am/am-cert.pem"  # server certificate chain (PEM)
  private_key = "<data_dir>/am/am-key.pem"
  trust_roots = "<data_dir>/trusted_roots"   # every *.pem/*.crt: trusted roots and CRLs; SIGHUP reloads
  [log]
  level = "info"                # trace, debug, info, warn, error
  [store]
  uri = "sqlite://<data_dir>/am.db"   # or postgresql://user@host:port/db (several AMs may share one)
  [aggregate]  (continued)
  inventory = ""                # sites and hosts (docs/inventory.md); "" = one local site with four
                                #   hosts on the libvirt test driver
  allocation_lifetime = 600     # seconds an allocated sliver lives unless provisioned
  max_lease = 604800            # seconds a provisioned sliver may live at most (also capped by the
                                #   slice credential)
  reap_interval = 30            # seconds between sweeps for expired slivers
  [paths]  (continued)
  schema_dir = "<installed schema/>"  # SQL migrations, applied at start
  [backend]                     # provisioned slivers become real nodes and links (docs/backends.md)
  worker = true                 # run the backend worker here (exactly one AM per shared store)
  state_dir = "<data_dir>/backend"    # disk overlays, seeded initrds, serial console logs
  accelerator = "tcg"           # QEMU hosts: "tcg" or "kvm" (only where a stock guest boots)
  default_image = "default"     # image of nodes whose request names none
  interval = 1                  # seconds between passes when no call wakes the worker
  login_host = "127.0.0.1"      # host name manifests give for SSH to QEMU nodes (the AM host's
                                #   public name in production)
  login_bind = "0.0.0.0"        # address the forwarded login ports listen on
  login_ports = "22000-22999"   # one host port per QEMU node, forwarded to its port 22
  [images.<name>]               # a bootable image nodes may ask for by <disk_image name=...>;
  kernel = ""                   #   none configured: "default", an empty image (test driver only)
  initrd = ""                   #   direct kernel boot; the node's seed is appended to the initrd
  cmdline = ""
  disk = ""                     #   base disk; each node gets a copy-on-write qcow2 overlay
  format = "qcow2"
When certificate and private_key are the defaults and do not exist, federa am creates a local
certificate authority in <data_dir>/ca, the aggregate's certificate, and trusts the local CA.
)";
}

std::string default_inventory_toml(const std::string& authority) {
  std::string toml = "[[site]]\nname = \"local\"\nauthority = \"" + authority +
                     "\"\n[site.switch]\nvlans = \"100-999\"\n";
  for (int i = 1; i <= 4; ++i) {
    toml += "[[site.host]]\nname = \"host" + std::to_string(i) +
            "\"\nbackend = \"test:///default\"\nvcpus = 8\nmemory_mb = 16384\ndisk_gb = 200\nslots = 8\n"
            "sliver_types = [\"default-vm\", \"emulab-xen\", \"raw-pc\"]\n";
  }
  return toml;
}

}  // namespace federa::am
