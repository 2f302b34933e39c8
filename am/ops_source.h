// The aggregate as a gmoc::OperationalSource, read from its store (schema/am: slices, slivers with
// their placement, slice_users, events) and its live inventory. The substrate becomes resources:
// every host (a "server" with interface eth0 to its site switch) and every site switch (a
// "switch" named switch-<site> with one port per host, named after the host, and one per
// inter-site link, named after the link). Circuits: the inter-site links, and every link sliver
// between two hosts. VLAN tags in use come from the link slivers' hops. Bindings: a node sliver
// holds its host; a link sliver holds each tag of its path on that hop's segment. A provisioned
// node holds the address and MAC of each of its ports (am/backend_plan: what the backend gives
// it), from the sliver's provisioning on. Thread-safe: each call is one read transaction.
// Samples: the aggregate's and each host's (is_available, num_vms_allocated, mem_used_kb) and,
// for every link sliver between two hosts (its circuit, monitoring id <aggregate>_link_sliver-<uuid>),
// is_available and max_bps (allocated bandwidth) always, and rx/tx_bps and rx/tx_pps once
// set_link_counters() is given a reader of the devices' counters (rates: gmoc/traffic_rates.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "federation/inventory_holder.h"
#include "gmoc/operational_source.h"
#include "gmoc/traffic_rates.h"
#include "store/store.h"

namespace federa::am {

// A link sliver's traffic counters as read from its device (federation/device_counters.h).
struct LinkCounters {
  std::string sliver_urn;
  std::uint64_t rx_bytes = 0, tx_bytes = 0, rx_packets = 0, tx_packets = 0;
};

class OpsSource : public gmoc::OperationalSource {
 public:
  // identity: id, urn, am_url and organization; the sites are filled in from the inventory.
  OpsSource(store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory,
            gmoc::AggregateIdentity identity);

  // Where the AM API answers, once the server listens (reported to collectors).
  void set_am_url(const std::string& am_url);
  // The backend's reader of the live link slivers' counters (unset: no traffic samples).
  void set_link_counters(std::function<std::vector<LinkCounters>()> read);

  gmoc::AggregateIdentity identity() const override;
  gmoc::Topology topology() const override;
  std::vector<gmoc::Slice> slices() const override;
  std::vector<gmoc::Sliver> slivers() const override;
  std::vector<gmoc::Binding> live_bindings() const override;
  std::optional<Timestamp> sliver_ended(const std::string& sliver_urn) const override;
  std::vector<gmoc::Event> events_after(std::int64_t after_id, std::size_t limit) const override;
  std::vector<gmoc::Sample> samples(Timestamp at) const override;

 private:
  std::vector<gmoc::Sample> traffic_samples(Timestamp at) const;

  store::Store& store_;
  std::shared_ptr<federation::InventoryHolder> inventory_;
  mutable std::mutex mutex_;
  gmoc::AggregateIdentity identity_;
  std::function<std::vector<LinkCounters>()> link_counters_;
  mutable gmoc::TrafficRates rates_;
};

}  // namespace federa::am
