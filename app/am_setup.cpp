#include "app/am_setup.h"

#include "federation/inventory.h"

namespace federa::app {

void add_am_options(CLI::App& command, AmOptions& options, bool server) {
  command.add_option("-c,--config", options.config_file, "TOML configuration file (see `federa am --help`)")
      ->check(CLI::ExistingFile);
  command.add_option("--data-dir", options.data_dir, "overrides paths.data_dir");
  command.add_option("--authority", options.authority, "overrides aggregate.authority");
  command.add_option("--db", options.db, "overrides store.uri (sqlite:///path or postgresql://...)");
  command.add_option("--inventory", options.inventory, "overrides aggregate.inventory")->check(CLI::ExistingFile);
  command.add_option("--log-level", options.log_level, "overrides log.level");
  if (!server) return;
  command.add_option("--listen", options.listen, "overrides server.listen");
  command.add_option("--port", options.port, "overrides server.port (0 = any free port)");
  command.add_option("--public-url", options.public_url, "overrides server.public_url");
}

am::AmConfig effective_config(const AmOptions& options) {
  am::AmConfig config = am::load_am_config(options.config_file);
  if (options.data_dir) config.data_dir = *options.data_dir;
  if (options.listen) config.listen_address = *options.listen;
  if (options.port) config.port = *options.port;
  if (options.authority) config.authority = *options.authority;
  if (options.public_url) config.public_url = *options.public_url;
  if (options.log_level) config.log_level = *options.log_level;
  if (options.db) config.db = *options.db;
  if (options.inventory) config.inventory = *options.inventory;
  am::resolve_paths(config);
  return config;
}

OpenAggregate open_aggregate(const am::AmConfig& config) {
  OpenAggregate open;
  open.store = store::open_store(config.db, store::MigrationSet{config.schema_dir, "am"});
  open.inventory = std::make_shared<federation::InventoryHolder>(
      config.inventory.empty() ? federation::parse_inventory(am::default_inventory_toml(config.authority), "embedded default")
                               : federation::load_inventory(config.inventory));
  open.aggregate = std::make_unique<am::Aggregate>(
      *open.store, open.inventory,
      am::AggregatePolicy{config.authority, config.aggregate_urn(), config.allocation_lifetime, config.max_lease});
  return open;
}

}  // namespace federa::app
