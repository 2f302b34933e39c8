// The aggregate as a gmoc::OperationalSource, read from its store (schema/am: slices, slivers with
// their placement, slice_users, events) and its live inventory. The substrate becomes resources:
// every host (a "server" with interface eth0 to its site switch) and every site switch (a
// "switch" named switch-<site> with one port per host, named after the host, and one per
// inter-site link, named after the link). Circuits: the inter-site links, and every link sliver
// between two hosts. VLAN tags in use come from the link slivers' hops. Bindings: a node sliver
// holds its host; a link sliver holds each tag of its path on that hop's segment. IPs and MACs are
// not bound yet (no backend assigns them). Thread-safe: each call is one read transaction.
#pragma once

#include <memory>
#include <mutex>

#include "federation/inventory_holder.h"
#include "gmoc/operational_source.h"
#include "store/store.h"

namespace federa::am {

class OpsSource : public gmoc::OperationalSource {
 public:
  // identity: id, urn, am_url and organization; the sites are filled in from the inventory.
  OpsSource(store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory,
            gmoc::AggregateIdentity identity);

  // Where the AM API answers, once the server listens (reported to collectors).
  void set_am_url(const std::string& am_url);

  gmoc::AggregateIdentity identity() const override;
  gmoc::Topology topology() const override;
  std::vector<gmoc::Slice> slices() const override;
  std::vector<gmoc::Sliver> slivers() const override;
  std::vector<gmoc::Binding> live_bindings() const override;
  std::optional<Timestamp> sliver_ended(const std::string& sliver_urn) const override;
  std::vector<gmoc::Event> events_after(std::int64_t after_id, std::size_t limit) const override;
  std::vector<gmoc::Sample> samples(Timestamp at) const override;

 private:
  store::Store& store_;
  std::shared_ptr<federation::InventoryHolder> inventory_;
  mutable std::mutex mutex_;
  gmoc::AggregateIdentity identity_;
};

}  // namespace federa::am
