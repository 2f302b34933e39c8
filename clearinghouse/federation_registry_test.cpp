// The federation registry: configured services, registered aggregates, peers, trust roots.
#include "clearinghouse/ch_testing.h"

#include <doctest/doctest.h>

namespace federa::ch::testing {
namespace {

using trust::testing::pki;

std::vector<ServiceEntry> configured() {
  return {{ServiceType::kSliceAuthority, "urn:publicid:IDN+geni:lab+authority+sa", "https://ch/SA", "SA", "", 2, ""},
          {ServiceType::kMemberAuthority, "urn:publicid:IDN+geni:lab+authority+ma", "https://ch/MA", "MA", "", 2, ""},
          {ServiceType::kAggregateManager, "urn:publicid:IDN+peer.org+authority+am", "https://am.peer.org/am/3.0",
           "peer-am", "", 3, "peer"}};
}

TEST_CASE("the registry lists configured services, registered aggregates and peers' aggregates") {
  ChFixture ch;
  FederationRegistry registry(*ch.store, configured(), pki().roots);
  registry.register_aggregate(
      {"urn:publicid:IDN+geni:lab+authority+am", "https://127.0.0.1:8001/am/3.0", "lab", "", 3});
  const auto aggregates = registry.services(ServiceType::kAggregateManager);
  REQUIRE(aggregates.size() == 2);
  CHECK(aggregates[0].federation == "peer");
  CHECK(aggregates[1].url == "https://127.0.0.1:8001/am/3.0");
  CHECK(registry.services(std::nullopt).size() == 4);
  CHECK(registry.services(ServiceType::kSliceAuthority).front().url == "https://ch/SA");
  CHECK(registry.is_local_aggregate("urn:publicid:IDN+GENI:LAB+authority+am"));
  CHECK_FALSE(registry.is_local_aggregate("urn:publicid:IDN+peer.org+authority+am"));

  registry.register_aggregate({"urn:publicid:IDN+geni:lab+authority+am", "https://10.0.0.1/am/3.0", "lab", "", 2});
  CHECK(registry.services(ServiceType::kAggregateManager)[1].api_version == 2);
  CHECK(registry.unregister_aggregate("urn:publicid:IDN+geni:lab+authority+am"));
  CHECK_FALSE(registry.unregister_aggregate("urn:publicid:IDN+geni:lab+authority+am"));
  CHECK_FALSE(registry.is_local_aggregate("urn:publicid:IDN+geni:lab+authority+am"));
}

TEST_CASE("only aggregate URNs and https URLs are registered") {
  ChFixture ch;
  FederationRegistry registry(*ch.store, {}, pki().roots);
  CHECK(ch_code_of([&] {
          registry.register_aggregate({"urn:publicid:IDN+geni:lab+user+alice", "https://x", "", "", 3});
        }) == ChCode::kArgument);
  CHECK(ch_code_of([&] { registry.register_aggregate({"not a urn", "https://x", "", "", 3}); }) == ChCode::kArgument);
  CHECK(ch_code_of([&] {
          registry.register_aggregate({"urn:publicid:IDN+geni:lab+authority+am", "http://x", "", "", 3});
        }) == ChCode::kArgument);
  CHECK(registry.services(std::nullopt).empty());
}

TEST_CASE("the trust roots are the PEM certificates the federation trusts") {
  ChFixture ch;
  FederationRegistry registry(*ch.store, {}, pki().roots);
  const auto roots = registry.trust_roots_pem();
  REQUIRE(roots.size() == 1);
  CHECK(trust::load_certificates_pem(roots.front()).front().urn() == pki().sa.urn());
}

}  // namespace
}  // namespace federa::ch::testing
