// Sliver info (Common Federation API v2 SLIVER_INFO): the slice authority's record of which
// slivers exist at which aggregate for a slice, reported by tools as slices' members (not
// auditors) or by a registered aggregate itself. A member reports for slices they belong to; an
// aggregate reports slivers named under its own authority, as its own. Looking up slivers is for
// the slice's members. Refusals throw ChError. Thread-safe.
#pragma once

#include "clearinghouse/ch_store.h"
#include "store/store.h"

#include <optional>
#include <string>
#include <vector>

namespace federa::ch {

// Who reports: a member of the federation, or an aggregate the registry lists (no member record).
struct Reporter {
  std::string urn;
  std::optional<Member> member;
};

class SliverRecords {
 public:
  explicit SliverRecords(store::Store& store) : store_(store) {}

  SliverInfo record(const Reporter& reporter, SliverInfo sliver, Timestamp now);
  void update_expiration(const Reporter& reporter, const std::string& sliver_urn, std::optional<Timestamp> expires);
  void remove(const Reporter& reporter, const std::string& sliver_urn);
  std::vector<SliverInfo> lookup(const Member& caller, const std::string& slice_urn);

 private:
  store::Store& store_;
};

}  // namespace federa::ch
