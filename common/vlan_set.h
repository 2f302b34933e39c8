// A set of 802.1Q VLAN tags (1..4094) kept as sorted, disjoint, non-adjacent ranges. It parses and
// formats the RSpec stitching notation ("100-200,300"), so the same type describes a link's
// configured range, the tags taken by reservations and the tags advertised as free
// (vlanRangeAvailability). Values are ordinary: copy, compare, combine.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace federa {

class VlanSet {
 public:
  static constexpr int kMinTag = 1;
  static constexpr int kMaxTag = 4094;

  VlanSet() = default;
  // The tags lo..hi inclusive; throws std::invalid_argument outside 1..4094 or when lo > hi.
  static VlanSet range(int lo, int hi);
  // "100-200,300" (spaces allowed, empty text = empty set); throws std::invalid_argument naming
  // the offending piece.
  static VlanSet parse(std::string_view text);

  bool empty() const { return ranges_.empty(); }
  bool contains(int tag) const;
  std::size_t size() const;
  std::optional<int> lowest() const;

  void insert(int tag);
  void erase(int tag);
  VlanSet intersect(const VlanSet& other) const;
  VlanSet unite(const VlanSet& other) const;
  VlanSet subtract(const VlanSet& other) const;

  // Back to the notation parse accepts: "100-199,300"; "" for the empty set.
  std::string format() const;
  const std::vector<std::pair<int, int>>& ranges() const { return ranges_; }
  bool operator==(const VlanSet&) const = default;

 private:
  static VlanSet from_unsorted(std::vector<std::pair<int, int>> ranges);
  std::vector<std::pair<int, int>> ranges_;
};

}  // namespace federa
