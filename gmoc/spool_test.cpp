#include "gmoc/spool.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "gmoc/https_url.h"

namespace federa::gmoc {

TEST_CASE("spool: FIFO on disk, sequence numbers keep rising across reopen") {
  const auto dir = std::filesystem::temp_directory_path() / ("gmoc-spool-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    Spool spool(dir);
    CHECK_FALSE(spool.oldest());
    CHECK(spool.append([](std::uint64_t seq) { return "r" + std::to_string(seq); }) == 1);
    CHECK(spool.append([](std::uint64_t seq) { return "r" + std::to_string(seq); }) == 2);
    CHECK(spool.oldest()->body == "r1");
    spool.remove(1);
    spool.remove(2);
    CHECK(spool.size() == 0);
    spool.save_state("{\"event_id\":7}");
  }
  Spool reopened(dir);  // empty, yet numbering continues: the collector dedupes by seq
  CHECK(reopened.append([](std::uint64_t seq) { return std::to_string(seq); }) == 3);
  CHECK(reopened.load_state() == "{\"event_id\":7}");
  std::filesystem::remove_all(dir);
}

TEST_CASE("https URLs for the collector and the aggregates") {
  const HttpsUrl url = parse_https_url("https://noc.example.net:8443/gmoc/");
  CHECK(url.host == "noc.example.net");
  CHECK(url.port == 8443);
  CHECK(url.path == "/gmoc");
  CHECK(parse_https_url("https://h").port == 443);
  CHECK_THROWS_AS(parse_https_url("http://h:1"), std::invalid_argument);
  CHECK_THROWS_AS(parse_https_url("https://h:99999"), std::invalid_argument);
  CHECK(url_encode("{\"a\": [1]}~") == "%7B%22a%22%3A%20%5B1%5D%7D~");
  CHECK(url_decode(url_encode("q={\"ts\":{\"gte\":1}} +%")) == "q={\"ts\":{\"gte\":1}} +%");
  CHECK_THROWS_AS(url_decode("%4"), std::invalid_argument);
}

}  // namespace federa::gmoc
