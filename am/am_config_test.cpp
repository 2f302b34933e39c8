#include "am/am_config.h"

#include <doctest/doctest.h>

#include <fstream>

using federa::am::load_am_config;

namespace {

std::filesystem::path write_config(const std::string& text) {
  const auto file = std::filesystem::temp_directory_path() / "federa-am-config-test.toml";
  std::ofstream(file) << text;
  return file;
}

std::string load_error(const std::string& text) {
  try {
    load_am_config(write_config(text));
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("no file means embedded defaults, with paths under the data directory") {
  auto config = load_am_config({});
  config.data_dir = "/srv/federa";
  federa::am::resolve_paths(config);
  CHECK(config.port == 8001);
  CHECK(config.listen_address == "127.0.0.1");
  CHECK(config.limits.max_body_bytes == 16 * 1024 * 1024);
  CHECK(config.certificate == "/srv/federa/am/am-cert.pem");
  CHECK(config.trust_roots == "/srv/federa/trusted_roots");
  CHECK(config.uses_local_ca());
  CHECK(config.aggregate_urn() == "urn:publicid:IDN+federa.local+authority+am");
}

TEST_CASE("a file overrides what it names") {
  auto config = load_am_config(write_config(R"(
[server]
port = 9443
max_body_bytes = 1024
idle_timeout = 2.5
[aggregate]
authority = "lab.example.org"
[tls]
certificate = "/etc/federa/am.pem"
)"));
  federa::am::resolve_paths(config);
  CHECK(config.port == 9443);
  CHECK(config.limits.max_body_bytes == 1024);
  CHECK(config.limits.idle_timeout == std::chrono::milliseconds(2500));
  CHECK(config.authority == "lab.example.org");
  CHECK(config.certificate == "/etc/federa/am.pem");
  CHECK_FALSE(config.uses_local_ca());
}

TEST_CASE("mistakes in the file are named") {
  CHECK(load_error("[server]\nport = 70000\n").find("server.port: must be a positive integer") != std::string::npos);
  CHECK(load_error("[server]\nprot = 1\n").find("server.prot: unknown setting") != std::string::npos);
  CHECK(load_error("[server]\nlisten = 5\n").find("server.listen: has the wrong type") != std::string::npos);
  CHECK(load_error("[server\n").find(":1:") != std::string::npos);
}
