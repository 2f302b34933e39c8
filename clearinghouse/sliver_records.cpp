#include "clearinghouse/sliver_records.h"

#include "clearinghouse/ch_error.h"
#include "clearinghouse/urn.h"

namespace federa::ch {
namespace {

trust::Urn parsed(const std::string& text, std::string_view field) {
  try {
    return trust::Urn::parse(text);
  } catch (const GeniError& error) {
    throw ChError(ChCode::kArgument, std::string(field) + ": " + error.what());
  }
}

// Throws unless the reporter may report `sliver` of `slice_urn` at `aggregate_urn`.
void check_reporter(ChStore& db, const Reporter& reporter, const std::string& slice_urn, const std::string& sliver_urn,
                    const std::string& aggregate_urn) {
  if (reporter.member) {
    if (reporter.member->is_operator) return;
    const auto role = db.role(MembershipTable::kSlice, slice_urn, reporter.member->urn);
    if (!role || !may_renew(*role)) {
      throw ChError(ChCode::kAuthorization, reporter.urn + " may not report slivers of " + slice_urn +
                                                " (members of the slice other than auditors may)");
    }
    return;
  }
  const trust::Urn aggregate = parsed(reporter.urn, "caller");
  if (!trust::same_urn(aggregate_urn, reporter.urn) ||
      !aggregate.is_authority_for(parsed(sliver_urn, "SLIVER_INFO_URN"))) {
    throw ChError(ChCode::kAuthorization, "aggregate " + reporter.urn + " may only report its own slivers, not " +
                                              sliver_urn + " at " + aggregate_urn);
  }
}

SliverInfo require_sliver(ChStore& db, const std::string& urn) {
  const auto sliver = db.sliver(urn);
  if (!sliver) throw ChError(ChCode::kArgument, "Unknown sliver urn " + urn + " (Register the sliver first)");
  return *sliver;
}

}  // namespace

SliverInfo SliverRecords::record(const Reporter& reporter, SliverInfo sliver, Timestamp now) {
  sliver.urn = parsed(sliver.urn, "SLIVER_INFO_URN").str();
  sliver.aggregate_urn = parsed(sliver.aggregate_urn, "SLIVER_INFO_AGGREGATE_URN").str();
  if (sliver.creator_urn.empty()) sliver.creator_urn = reporter.urn;
  if (sliver.created_at == Timestamp{}) sliver.created_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  return store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const auto slice = db.slice(sliver.slice_urn);
    if (!slice) throw ChError(ChCode::kArgument, "Unknown slice urn " + sliver.slice_urn);
    sliver.slice_urn = slice->urn;
    check_reporter(db, reporter, slice->urn, sliver.urn, sliver.aggregate_urn);
    if (db.sliver(sliver.urn)) throw ChError(ChCode::kDuplicate, "sliver " + sliver.urn + " is already recorded");
    db.insert_sliver(sliver);
    return sliver;
  });
}

void SliverRecords::update_expiration(const Reporter& reporter, const std::string& sliver_urn,
                                      std::optional<Timestamp> expires) {
  store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const SliverInfo sliver = require_sliver(db, sliver_urn);
    check_reporter(db, reporter, sliver.slice_urn, sliver.urn, sliver.aggregate_urn);
    db.update_sliver_expiry(sliver.urn, expires);
  });
}

void SliverRecords::remove(const Reporter& reporter, const std::string& sliver_urn) {
  store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const SliverInfo sliver = require_sliver(db, sliver_urn);
    check_reporter(db, reporter, sliver.slice_urn, sliver.urn, sliver.aggregate_urn);
    db.delete_sliver(sliver.urn);
  });
}

std::vector<SliverInfo> SliverRecords::lookup(const Member& caller, const std::string& slice_urn) {
  return store_.read([&](store::Transaction& tx) {
    ChStore db(tx);
    if (!caller.is_operator && !db.role(MembershipTable::kSlice, slice_urn, caller.urn)) {
      throw ChError(ChCode::kAuthorization,
                    caller.urn + " is not a member of slice " + slice_urn + " and may not look up its slivers");
    }
    return db.slivers_of(slice_urn);
  });
}

}  // namespace federa::ch
