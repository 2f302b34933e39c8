// `federa am`: the aggregate manager service.
#include <boost/asio/signal_set.hpp>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include "am/aggregate.h"
#include "am/aggregate_api.h"
#include "am/am_config.h"
#include "am/am_service.h"
#include "clearinghouse/authorizer.h"
#include "federation/inventory.h"
#include "store/store.h"
#include "app/commands.h"
#include "app/local_ca.h"
#include "common/log.h"

namespace federa::app {
namespace {

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

std::string listen_url(const am::AmConfig& config, unsigned short port) {
  return "https://" + config.listen_address + ":" + std::to_string(port);
}

// Sweeps expired slivers every interval until destroyed.
class Reaper {
 public:
  Reaper(am::Aggregate& aggregate, std::chrono::milliseconds interval)
      : thread_([this, &aggregate, interval](std::stop_token stop) { run(aggregate, interval, stop); }) {}

 private:
  void run(am::Aggregate& aggregate, std::chrono::milliseconds interval, std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      try {
        aggregate.reap_expired();
      } catch (const std::exception& error) {
        logger("am")->error("event=reap_failed error={}", log_value(error.what()));
      }
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, interval, [] { return false; });
    }
  }
  std::jthread thread_;
};

// The trust roots TLS and the authorizer share; both reload on SIGHUP.
struct Trust {
  std::shared_ptr<rpc::TlsContextHolder> tls;
  std::shared_ptr<trust::TrustRoots> roots;
};

void reload(Trust& trust) {
  try {
    trust.tls->reload();
    trust.roots->reload();
    logger("am")->info("event=tls_reloaded");
  } catch (const std::exception& error) {
    logger("am")->error("event=tls_reload_failed error={}", log_value(error.what()));
  }
}

// SIGTERM/SIGINT drain and stop the server; SIGHUP reloads the trust roots and the certificate.
void handle_signals(boost::asio::signal_set& signals, rpc::HttpsServer& server, Trust& trust) {
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      reload(trust);
      return handle_signals(signals, server, trust);
    }
    logger("am")->info("event=stopping signal={}", signal);
    server.stop();
    signals.cancel();
  });
}

void run_am(const AmOptions& options) {
  am::AmConfig config = effective_config(options);
  init_logging(config.log_level);
  if (config.uses_local_ca()) {
    const LocalCa ca = open_or_create_local_ca(config.data_dir, config.authority);
    ensure_aggregate_certificate(ca, config.certificate, config.private_key);
  }
  Trust trust{std::make_shared<rpc::TlsContextHolder>(
                   rpc::ServerTlsConfig{config.certificate, config.private_key, config.trust_roots}),
               trust::TrustRoots::load_directory(config.trust_roots)};
  const auto store = store::open_store(config.db, store::MigrationSet{config.schema_dir, "am"});
  auto inventory = std::make_shared<federation::InventoryHolder>(
      config.inventory.empty() ? federation::parse_inventory(am::default_inventory_toml(config.authority), "embedded default")
                               : federation::load_inventory(config.inventory));
  am::Aggregate aggregate(*store, inventory,
                          {config.authority, config.aggregate_urn(), config.allocation_lifetime, config.max_lease});
  am::AmService service(config.public_url, listen_url(config, config.port),
                        {.max_bytes = config.limits.max_body_bytes});
  am::add_get_version(service, config.aggregate_urn());
  am::add_aggregate_api(service, aggregate,
                        std::make_shared<trust::Authorizer>(trust.roots, std::make_shared<trust::CredentialCache>()));
  rpc::HttpsServer server(trust.tls, [&service](const rpc::HttpRequest& request) { return service.handle(request); },
                          config.limits);
  server.listen(config.listen_address, config.port);
  boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM, SIGHUP);
  handle_signals(signals, server, trust);
  Reaper reaper(aggregate, config.reap_interval);
  logger("am")->info("event=listening url={} urn={} data_dir={} trust_roots={} store={}",
                     listen_url(config, server.port()) + "/am/3.0", config.aggregate_urn(),
                     log_value(config.data_dir.string()), log_value(config.trust_roots.string()),
                     log_value(store->dialect() == store::Dialect::sqlite ? config.db : "postgresql"));
  server.run();
  logger("am")->info("event=stopped requests={}", server.stats().requests.load());
}

}  // namespace

void add_am_command(CLI::App& app) {
  auto options = std::make_shared<AmOptions>();
  CLI::App* am = app.add_subcommand("am", "Run the aggregate manager: AM API v3 at /am/3.0 and /, v2 at /am/2.0");
  am->add_option("-c,--config", options->config_file, "TOML configuration file (see below)")
      ->check(CLI::ExistingFile);
  am->add_option("--data-dir", options->data_dir, "overrides paths.data_dir");
  am->add_option("--listen", options->listen, "overrides server.listen");
  am->add_option("--port", options->port, "overrides server.port (0 = any free port)");
  am->add_option("--authority", options->authority, "overrides aggregate.authority");
  am->add_option("--public-url", options->public_url, "overrides server.public_url");
  am->add_option("--log-level", options->log_level, "overrides log.level");
  am->add_option("--db", options->db, "overrides store.uri (sqlite:///path or postgresql://...)");
  am->add_option("--inventory", options->inventory, "overrides aggregate.inventory")->check(CLI::ExistingFile);
  am->footer(am::settings_help());
  am->callback([options] { run_am(*options); });
}

}  // namespace federa::app
