#include "gmoc/config.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>

namespace federa::gmoc {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// gmoc.toml with `text` in a fresh directory, which is also the data directory.
struct ConfigFile {
  fs::path dir = fs::temp_directory_path() / ("gmoc-config-test-" + std::to_string(::getpid()));
  fs::path file = dir / "gmoc.toml";

  explicit ConfigFile(const std::string& text) {
    fs::create_directories(dir);
    std::ofstream(file) << text;
  }
  ~ConfigFile() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("gmoc.toml: poll settings and aggregates' datastores, with defaults") {
  ConfigFile config(R"([poll]
interval = 5
lookback = 600
overlap = 2.5
[[aggregate]]
id = "a"
url = "https://a.example:8001"
[[aggregate]]
id = "b"
url = "https://b.example:8001"
datastore = "https://ds.b.example:9443"
)");
  const GmocConfig loaded = load_gmoc_config(config.file, config.dir);
  CHECK(loaded.probe_interval == 5s);
  CHECK(loaded.poll_datastores);
  CHECK(loaded.poll.lookback == 600s);
  CHECK(loaded.poll.overlap == 2500ms);
  CHECK(loaded.poll.tls.certificate_chain == config.dir / "gmoc" / "gmoc-cert.pem");
  REQUIRE(loaded.aggregates.size() == 2);
  CHECK(loaded.aggregates[0].datastore_url == "https://a.example:8001");
  CHECK(loaded.aggregates[1].datastore_url == "https://ds.b.example:9443");

  const GmocConfig defaults = load_gmoc_config(config.dir / "absent.toml", config.dir);
  CHECK(defaults.poll.lookback == 3600s);
  CHECK(defaults.poll.overlap == 60s);
  CHECK(gmoc_settings_help().find("datastore = \"<url>\"") != std::string::npos);
}

TEST_CASE("gmoc.toml: wrong types and unknown keys are refused naming file and key") {
  auto refusal = [](const std::string& text) {
    ConfigFile config(text);
    try {
      load_gmoc_config(config.file, config.dir);
    } catch (const std::runtime_error& error) {
      return std::string(error.what()).substr(config.file.string().size());
    }
    return std::string("accepted");
  };
  CHECK(refusal("[poll]\ndatastores = 1\n") == ": poll.datastores: must be true or false");
  CHECK(refusal("[poll]\nlookback = -1\n") == ": poll.lookback: must be a positive number of seconds");
  CHECK(refusal("[poll]\nevery = 3\n") == ": poll.every: unknown setting");
  CHECK(refusal("[[aggregate]]\nid = \"a\"\nurl = \"https://a\"\ndatastore = 7\n") ==
        ": aggregate.datastore: must be a string (an https:// URL)");
}

}  // namespace federa::gmoc
