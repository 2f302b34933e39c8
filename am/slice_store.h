// The AM's typed queries over its store (schema/am): slices, slivers with their placement,
// reservations of scarce units (VLAN tags, exclusive hosts), slice users, requests and events.
// Every function works inside a transaction the caller opened, so one AM operation is one
// transaction however many rows it touches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "am/sliver_state.h"
#include "common/rfc3339.h"
#include "federation/placement.h"
#include "store/transaction.h"

namespace federa::am {

struct SliceRecord {
  std::string urn;
  Timestamp expires;
  bool shutdown = false;
};

enum class SliverKind { kNode, kLink };

struct SliverRecord {
  std::string urn;
  std::string slice_urn;
  std::string client_id;
  SliverKind kind = SliverKind::kNode;
  std::string component_id;          // node: the host; link: ""
  std::string component_manager_id;  // node: the host's site
  SliverStates states{AllocationState::kAllocated, OperationalState::kPendingAllocation};
  std::string error;
  Timestamp start_time, end_time, expires;
  // Exactly one of these, by kind: what the sliver holds of the substrate.
  std::optional<federation::NodePlacement> node;
  std::optional<federation::LinkPlacement> link;
  // Kept by the backend worker (am/provisioner.h): work an action asked for ("restart",
  // "update_keys"), progress while configuring, "<host>:<port>" to log in once ready.
  std::string pending;
  std::string progress;
  std::string login;
};

struct SliceUser {
  std::string urn;
  std::vector<std::string> keys;
};

namespace slice_store {

std::optional<SliceRecord> find_slice(store::Transaction& tx, const std::string& urn);
// Creates the slice, or moves its expiry to `expires` when that is later.
void upsert_slice(store::Transaction& tx, const std::string& urn, Timestamp expires, Timestamp now);
void set_shutdown(store::Transaction& tx, const std::string& urn, bool shutdown, Timestamp now);
std::vector<SliceRecord> slices(store::Transaction& tx, bool shutdown_only);

std::vector<SliverRecord> slivers_of_slice(store::Transaction& tx, const std::string& slice_urn);
std::optional<SliverRecord> find_sliver(store::Transaction& tx, const std::string& urn);
std::vector<SliverRecord> all_slivers(store::Transaction& tx);
std::vector<SliverRecord> slivers_expired(store::Transaction& tx, Timestamp now);

// Inserts the sliver and reserves its scarce units; throws store::ConflictError when a unit is
// already held (the transaction is then doomed; the caller refuses the call).
void insert_sliver(store::Transaction& tx, const SliverRecord& sliver, Timestamp now);
void update_sliver(store::Transaction& tx, const SliverRecord& sliver);
// The backend worker's write: `after`'s operational state, error, pending, progress and login,
// only if the row still has `before`'s operational state and pending work (an API call that
// changed it in between wins); false when it did not apply.
bool record_backend_state(store::Transaction& tx, const SliverRecord& before, const SliverRecord& after);
void delete_sliver(store::Transaction& tx, const std::string& urn);
// Moves a sliver: its component, placement and reservations become `sliver`'s; throws
// store::ConflictError when a unit it now needs is held by another sliver.
void replace_placement(store::Transaction& tx, const SliverRecord& sliver);
// The progress line of a long backend operation (Status shows it while it runs).
void set_progress(store::Transaction& tx, const std::string& urn, const std::string& progress);

void save_request(store::Transaction& tx, const std::string& slice_urn, const std::string& request, Timestamp now);
std::vector<std::string> requests_of(store::Transaction& tx, const std::string& slice_urn);
// Drops the slice's requests once it has no sliver left (manifests are written from them).
void forget_requests_if_empty(store::Transaction& tx, const std::string& slice_urn);
void save_users(store::Transaction& tx, const std::string& slice_urn, const std::vector<SliceUser>& users);
std::vector<SliceUser> users_of(store::Transaction& tx, const std::string& slice_urn);

std::vector<std::string> drained_hosts(store::Transaction& tx);
void set_drained(store::Transaction& tx, const std::string& host_urn, bool drained, Timestamp now);

void record_event(store::Transaction& tx, Timestamp at, const std::string& slice_urn,
                  const std::string& sliver_urn, const std::string& kind, const std::string& detail);

}  // namespace slice_store
}  // namespace federa::am
