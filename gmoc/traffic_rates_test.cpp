#include "gmoc/traffic_rates.h"

#include <doctest/doctest.h>

namespace federa::gmoc {

using namespace std::chrono_literals;

TEST_CASE("traffic rates: bits and packets per second between readings, none across a reset") {
  const Timestamp t0{std::chrono::seconds(1767261600)};
  TrafficRates rates;
  CHECK(rates.update({{"link", "a_link_l", 1000, 500, 10, 5}}, t0).empty());  // first reading: no rate yet
  const auto samples = rates.update({{"link", "a_link_l", 3000, 500, 30, 5}}, t0 + 2s);
  REQUIRE(samples.size() == 4);
  CHECK(samples[0].metric == "rx_bps");
  CHECK(samples[0].value == 8000);  // 2000 bytes in 2 s
  CHECK(samples[0].object_id == "a_link_l");
  CHECK(samples[0].at == t0 + 2s);
  CHECK(samples[1].metric == "tx_bps");
  CHECK(samples[1].value == 0);
  CHECK(samples[2].metric == "rx_pps");
  CHECK(samples[2].value == 10);
  CHECK(rates.update({{"link", "a_link_l", 10, 0, 1, 0}}, t0 + 4s).empty());  // counters went back
  CHECK(rates.update({{"link", "a_link_l", 20, 0, 2, 0}}, t0 + 5s).size() == 4);
  CHECK(rates.update({}, t0 + 6s).empty());
  CHECK(rates.update({{"link", "a_link_l", 30, 0, 3, 0}}, t0 + 7s).empty());  // forgotten while absent
}

}  // namespace federa::gmoc
