// The aggregate manager's operations on slices and slivers, independent of XML-RPC and of
// authorization (the API layer does both, then calls these). Each operation is one store
// transaction, so concurrent calls, several AM processes on one PostgreSQL, and a kill -9 at
// any point never leave a half-made sliver or a doubly booked resource. Allocate maps the
// request onto the inventory with the usage of every live sliver read in the same transaction.
// Errors are GeniErrors with the AM API code and a message naming what to fix.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "am/backend_plan.h"
#include "am/slice_store.h"
#include "federation/inventory_holder.h"
#include "federation/mapper.h"
#include "store/errors.h"
#include "store/store.h"

namespace federa::am {

struct AggregatePolicy {
  std::string authority;        // sliver URNs: urn:publicid:IDN+<authority>+sliver+<uuid>
  std::string aggregate_urn;
  std::chrono::seconds allocation_lifetime{600};         // allocated slivers expire unless provisioned
  std::chrono::seconds max_lease{7 * 24 * 3600};         // provisioned slivers, at most
  federation::Objective objective = federation::Objective::kPack;
};

// The slivers a call names: a slice URN (all its slivers) or sliver URNs of one slice.
struct Target {
  std::string slice_urn;
  std::vector<std::string> sliver_urns;  // empty: the whole slice
};

struct SliceView {
  std::string slice_urn;
  std::string manifest;               // manifest RSpec XML
  std::vector<SliverRecord> slivers;  // the slivers concerned, after the operation
};

struct ProvisionOptions {
  std::optional<Timestamp> end_time;
  std::vector<SliceUser> users;
};

struct ActionOutcome {
  SliverRecord sliver;
  std::string error;  // "" or why this sliver was not changed (best effort)
};

class Aggregate {
 public:
  Aggregate(store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory, AggregatePolicy policy);

  std::string advertisement(bool available_only) const;

  // Resolves a list of URNs to one slice: SEARCHFAILED for an unknown slice or sliver, BADARGS
  // for URNs of several slices or of other kinds.
  Target resolve(const std::vector<std::string>& urns) const;
  // REFUSED when the slice is shut down (every call but Shutdown itself checks this).
  void check_not_shut_down(const std::string& slice_urn) const;

  SliceView allocate(const std::string& slice_urn, const std::string& request_xml, Timestamp credential_expiry,
                     std::optional<Timestamp> end_time);
  SliceView provision(const Target& target, Timestamp credential_expiry, const ProvisionOptions& options);
  // `argument`: for federa_restore the snapshot id (SEARCHFAILED if the slice has none such), for
  // federa_migrate the destination host URN ("" = the mapper chooses; SEARCHFAILED for a host the
  // inventory lacks). federa_migrate concerns node slivers only; links follow their nodes.
  std::vector<ActionOutcome> perform(const Target& target, const std::string& action, bool best_effort,
                                     const std::string& argument = "");
  // Drains the host and asks the backend worker to move every provisioned node off it (the
  // mapper chooses where); returns the slivers asked to move.
  std::vector<SliverRecord> drain_host(const std::string& host_urn);
  std::vector<SliverRecord> renew(const Target& target, Timestamp requested, Timestamp credential_expiry,
                                  bool extend_alap);
  std::vector<SliverRecord> remove(const Target& target);
  SliceView describe(const Target& target) const;
  std::vector<SliverRecord> status(const Target& target) const;
  // Replaces the SSH keys of the given users on the slice (POA geni_update_users).
  void set_users(const std::string& slice_urn, const std::vector<SliceUser>& users);
  void shutdown(const std::string& slice_urn);
  void clear_shutdown(const std::string& slice_urn);
  std::vector<SliceRecord> slices(bool shutdown_only) const;

  // A drained host keeps its slivers and gets no new ones (kept in the store, so every AM
  // process sharing it agrees). SEARCHFAILED for a host the inventory does not have.
  void drain(const std::string& host_urn, bool drained);
  std::vector<std::string> drained_hosts() const;

  // Deletes every sliver past its expiry; returns how many. The reaper calls it periodically.
  std::size_t reap_expired();

  const AggregatePolicy& policy() const { return policy_; }

  // Called after every change the backends must follow (Provision, actions, Delete, Shutdown,
  // expiry): the backend worker's wake(). Set once, before the aggregate serves calls.
  void on_backend_change(std::function<void()> notify) { notify_backend_ = std::move(notify); }

 private:
  // store_.transaction / store_.read, with contention the store could not resolve by retrying
  // (and a unit taken by a concurrent call) turned into BUSY: the caller may simply try again.
  template <class F>
  auto write(F&& fn) const;
  template <class F>
  auto read(F&& fn) const;
  std::vector<SliverRecord> target_slivers(store::Transaction& tx, const Target& target) const;
  // The inventory as it is now: the holder's snapshot with the store's drained hosts applied.
  federation::Inventory inventory_now(store::Transaction& tx) const;
  SliceView view(store::Transaction& tx, const std::string& slice_urn, std::vector<SliverRecord> slivers) const;
  std::map<std::string, std::vector<PlannedPort>> planned_ports(store::Transaction& tx, const std::string& slice_urn,
                                                                const std::vector<rspec::RSpec>& requests,
                                                                const std::vector<SliceUser>& users) const;

  void backend_changed() const {
    if (notify_backend_) notify_backend_();
  }

  store::Store& store_;
  std::shared_ptr<federation::InventoryHolder> inventory_;
  AggregatePolicy policy_;
  std::function<void()> notify_backend_;
};

}  // namespace federa::am
