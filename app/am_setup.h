// What `federa am` and `federa admin` share: the configuration options on the command line
// (a TOML file plus overrides), and opening the aggregate (its store with migrations applied,
// its inventory) from that configuration.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "am/aggregate.h"
#include "am/am_config.h"

namespace federa::app {

struct AmOptions {
  std::filesystem::path config_file;
  std::optional<std::filesystem::path> data_dir;
  std::optional<std::string> listen;
  std::optional<unsigned short> port;
  std::optional<std::string> authority;
  std::optional<std::string> public_url;
  std::optional<std::string> log_level;
  std::optional<std::string> db;
  std::optional<std::filesystem::path> inventory;
};

// Adds --config, --data-dir, --authority, --db, --inventory, --log-level; with `server` also the
// server's --listen, --port, --public-url.
void add_am_options(CLI::App& command, AmOptions& options, bool server);

am::AmConfig effective_config(const AmOptions& options);

// The aggregate over its store and inventory; members are declared in destruction order.
struct OpenAggregate {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<federation::InventoryHolder> inventory;
  std::unique_ptr<am::Aggregate> aggregate;
};

OpenAggregate open_aggregate(const am::AmConfig& config);

}  // namespace federa::app
