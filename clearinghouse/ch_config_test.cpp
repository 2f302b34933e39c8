// `federa ch` configuration: defaults, every section, and refusals that name the key.
#include "clearinghouse/ch_config.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

namespace federa::ch {
namespace {

namespace fs = std::filesystem;

fs::path write_config(const std::string& name, const std::string& text) {
  const fs::path file = fs::temp_directory_path() / ("federa-ch-config-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(file) << text;
  return file;
}

std::string error_of(const std::string& text) {
  const fs::path file = write_config("bad.toml", text);
  try {
    load_ch_config(file);
  } catch (const std::runtime_error& error) {
    fs::remove(file);
    return error.what();
  }
  fs::remove(file);
  return "";
}

TEST_CASE("no file: a local federation on 127.0.0.1:8000 with the local CA of the data directory") {
  ChConfig config = load_ch_config("");
  config.data_dir = "/srv/federa";
  resolve_paths(config);
  CHECK(config.port == 8000);
  CHECK(config.database == "/srv/federa/ch/ch.db");
  CHECK(config.trust_roots == "/srv/federa/trusted_roots");
  CHECK(config.ca_certificate == "/srv/federa/ca/ca-cert.pem");
  CHECK(config.uses_local_ca());
  CHECK(config.slice_policy.max_lifetime == std::chrono::hours(24 * 185));
  const auto services = configured_services(config, "https://ch.example.org:8000");
  REQUIRE(services.size() == 2);
  CHECK(services[0].url == "https://ch.example.org:8000/SA");
  CHECK(services[1].urn == "urn:publicid:IDN+federa.local+authority+ma");
}

TEST_CASE("every section is read, aggregates and peers included") {
  const fs::path file = write_config("full.toml", R"(
[server]
port = 9000
[clearinghouse]
authority = "example.org"
[paths]
database = "postgresql://ch@db/ch"
[tls]
certificate = "/etc/federa/ch.pem"
[policy]
slice_default_days = 3
slice_max_days = 30
require_project = true
[[aggregates]]
urn = "urn:publicid:IDN+example.org+authority+am"
url = "https://am.example.org/am/3.0"
name = "main"
[[peers]]
name = "partner"
[[peers.aggregates]]
urn = "urn:publicid:IDN+partner.net+authority+am"
url = "https://am.partner.net/am/3.0"
api_version = 2
)");
  ChConfig config = load_ch_config(file);
  fs::remove(file);
  resolve_paths(config);
  CHECK(config.port == 9000);
  CHECK(config.registry_urn() == "urn:publicid:IDN+example.org+authority+ch");
  CHECK(config.database == "postgresql://ch@db/ch");
  CHECK_FALSE(config.uses_local_ca());
  CHECK(config.slice_policy.default_lifetime == std::chrono::hours(72));
  CHECK(config.slice_policy.require_project);
  REQUIRE(config.aggregates.size() == 2);
  CHECK(config.aggregates[0].name == "main");
  CHECK(config.aggregates[0].federation.empty());
  CHECK(config.aggregates[1].federation == "partner");
  CHECK(config.aggregates[1].api_version == 2);
}

TEST_CASE("mistakes are refused with the file and the key") {
  CHECK(error_of("[server]\nprot = 1\n").find("server.prot: unknown setting") != std::string::npos);
  CHECK(error_of("[policy]\nslice_max_days = 0\n").find("policy.slice_max_days") != std::string::npos);
  CHECK(error_of("[policy]\nslice_default_days = 40\nslice_max_days = 30\n").find("longer than") != std::string::npos);
  CHECK(error_of("[[aggregates]]\nname = \"x\"\n").find("aggregates[0]: needs urn and url") != std::string::npos);
  CHECK(error_of("[[peers]]\n[[peers.aggregates]]\nurn = \"u\"\nurl = \"v\"\n").find("needs a name") !=
        std::string::npos);
  CHECK(error_of("[server\n").find(":1:") != std::string::npos);
}

}  // namespace
}  // namespace federa::ch
