// The live inventory of a running aggregate: readers take a snapshot (a shared pointer to a const
// Inventory) that stays valid and unchanged for as long as they hold it; reload() parses a new
// file and swaps it in atomically, keeping which hosts the operator drained. A failed reload
// throws InventoryError and leaves the current inventory in place. Thread-safe.
#pragma once

#include "federation/inventory.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace federa::federation {

class InventoryHolder {
 public:
  explicit InventoryHolder(Inventory initial);

  std::shared_ptr<const Inventory> snapshot() const;

  // Swaps in `next`, re-applying the drained flags of hosts it still has.
  void replace(Inventory next);
  void reload(const std::filesystem::path& file);

  // A drained host keeps its slivers but gets no new ones; throws InventoryError for an
  // unknown host URN.
  void set_drained(const std::string& host_urn, bool drained);

 private:
  void publish(const Inventory& base);  // requires mutex_

  mutable std::mutex mutex_;
  std::shared_ptr<const Inventory> current_;
  std::set<std::string> drained_;
};

}  // namespace federa::federation
