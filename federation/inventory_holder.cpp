#include "federation/inventory_holder.h"

namespace federa::federation {

InventoryHolder::InventoryHolder(Inventory initial) {
  std::lock_guard lock(mutex_);
  publish(initial);
}

std::shared_ptr<const Inventory> InventoryHolder::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void InventoryHolder::replace(Inventory next) {
  std::lock_guard lock(mutex_);
  publish(next);
}

void InventoryHolder::reload(const std::filesystem::path& file) {
  replace(load_inventory(file));
}

void InventoryHolder::set_drained(const std::string& host_urn, bool drained) {
  std::lock_guard lock(mutex_);
  if (!current_->find_host(host_urn)) {
    throw InventoryError("no host '" + host_urn + "' in the inventory");
  }
  if (drained) {
    drained_.insert(host_urn);
  } else {
    drained_.erase(host_urn);
  }
  publish(*current_);
}

void InventoryHolder::publish(const Inventory& base) {
  current_ = std::make_shared<const Inventory>(
      base.with_drained(std::vector<std::string>(drained_.begin(), drained_.end())));
}

}  // namespace federa::federation
