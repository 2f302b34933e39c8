#include "rspec/stitching.h"

#include <doctest/doctest.h>

namespace federa::rspec {
namespace {

TEST_CASE("VLAN sets parse, merge, print and answer membership") {
  auto set = VlanSet::parse(" 3746-3749, 3706-3732,3733,10 ");
  REQUIRE(set.has_value());
  CHECK(set->to_string() == "10,3706-3733,3746-3749");
  CHECK(set->contains(10));
  CHECK(set->contains(3733));
  CHECK_FALSE(set->contains(3734));
  CHECK_FALSE(set->is_any());

  auto any = VlanSet::parse("any");
  REQUIRE(any.has_value());
  CHECK(any->is_any());
  CHECK(any->contains(4094));
  CHECK_FALSE(any->contains(4095));
  CHECK(any->to_string() == "any");

  CHECK(VlanSet::parse("")->empty());
  CHECK(VlanSet::single(7).to_string() == "7");
}

TEST_CASE("VLAN sets refuse what is not a range of 802.1Q ids") {
  for (const char* text : {"0", "4095", "20-10", "1-", "-5", "a", "1,,2", "1-2-3", "100 200"}) {
    CAPTURE(text);
    CHECK_FALSE(VlanSet::parse(text).has_value());
  }
}

TEST_CASE("a path is found by the link it stitches") {
  StitchingTopology topology;
  topology.paths.push_back({"link-a", "", {}});
  topology.paths.push_back({"link-b", "", {}});
  REQUIRE(find_path(topology, "link-b") != nullptr);
  CHECK(find_path(topology, "link-b")->id == "link-b");
  CHECK(find_path(topology, "link-c") == nullptr);
}

}  // namespace
}  // namespace federa::rspec
