#include "common/vlan_set.h"

#include <doctest/doctest.h>

#include <stdexcept>

using federa::VlanSet;

TEST_CASE("VLAN sets parse, merge and format the stitching range notation") {
  const VlanSet set = VlanSet::parse(" 300, 100-200,201-205 ,150-160");
  CHECK(set.format() == "100-205,300");
  CHECK(set.size() == 107);
  CHECK(set.contains(100));
  CHECK(set.contains(205));
  CHECK_FALSE(set.contains(206));
  CHECK(set.contains(300));
  CHECK(set.lowest() == 100);
  CHECK(VlanSet::parse("").empty());
  CHECK_FALSE(VlanSet().lowest());
  CHECK(VlanSet::parse(set.format()) == set);
}

TEST_CASE("VLAN sets subtract, intersect, insert and erase") {
  const VlanSet range = VlanSet::parse("100-200,300-310");
  CHECK(range.subtract(VlanSet::parse("150-160,180-305")).format() == "100-149,161-179,306-310");
  CHECK(range.subtract(VlanSet::parse("1-4094")).empty());
  CHECK(range.intersect(VlanSet::parse("190-305,309")).format() == "190-200,300-305,309");
  CHECK(range.unite(VlanSet::parse("201-299")).format() == "100-310");
  VlanSet set = range;
  set.erase(100);
  set.erase(150);
  set.erase(999);
  CHECK(set.format() == "101-149,151-200,300-310");
  set.insert(150);
  set.insert(100);
  CHECK(set == range);
}

TEST_CASE("VLAN sets refuse tags outside 1-4094 and malformed text") {
  CHECK_THROWS_AS(VlanSet::parse("0-10"), std::invalid_argument);
  CHECK_THROWS_AS(VlanSet::parse("4095"), std::invalid_argument);
  CHECK_THROWS_AS(VlanSet::parse("200-100"), std::invalid_argument);
  CHECK_THROWS_AS(VlanSet::parse("12a"), std::invalid_argument);
  CHECK_THROWS_AS(VlanSet::parse("1,,2"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(VlanSet::parse("100-x"), "'100-x' is not a VLAN tag or range",
                       std::invalid_argument);
}
