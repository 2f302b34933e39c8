// `federa am`: the aggregate manager service.
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <optional>

#include "am/aggregate.h"
#include "am/aggregate_api.h"
#include "am/am_config.h"
#include "am/am_service.h"
#include "am/provisioner.h"
#include "federation/device_counters.h"
#include "clearinghouse/authorizer.h"
#include "app/am_setup.h"
#include "app/commands.h"
#include "app/local_ca.h"
#include "app/ops_wiring.h"
#include "common/log.h"
#include "common/periodic_task.h"

namespace federa::app {
namespace {

std::string listen_url(const am::AmConfig& config, unsigned short port) {
  return "https://" + config.listen_address + ":" + std::to_string(port);
}

// What SIGHUP re-reads: the trust roots TLS and the authorizer share, and the inventory file.
struct Trust {
  std::shared_ptr<rpc::TlsContextHolder> tls;
  std::shared_ptr<trust::TrustRoots> roots;
  std::shared_ptr<federation::InventoryHolder> inventory;
  std::filesystem::path inventory_file;  // "" = the embedded default, nothing to re-read
};

void reload(Trust& trust) {
  try {
    trust.tls->reload();
    trust.roots->reload();
    logger("am")->info("event=tls_reloaded");
  } catch (const std::exception& error) {
    logger("am")->error("event=tls_reload_failed error={}", log_value(error.what()));
  }
  if (trust.inventory_file.empty()) return;
  try {
    trust.inventory->reload(trust.inventory_file);
    logger("am")->info("event=inventory_reloaded file={}", log_value(trust.inventory_file.string()));
  } catch (const std::exception& error) {
    logger("am")->error("event=inventory_reload_failed error={} kept=previous", log_value(error.what()));
  }
}

// The backend worker, unless this process leaves it to another AM on the same store.
std::unique_ptr<am::Provisioner> start_backend(const am::AmConfig& config, const OpenAggregate& open) {
  if (!config.backend.worker) {
    logger("am")->info("event=backend_worker_disabled");
    return nullptr;
  }
  auto backend = std::make_unique<am::Provisioner>(
      *open.store, open.inventory,
      am::BackendOptions{{config.backend.state_dir, config.backend.images, config.backend.accelerator,
                          config.backend.login_bind, config.backend.login_host},
                         config.backend.default_image,
                         config.backend.interval,
                         config.backend.first_login_port,
                         config.backend.login_ports});
  open.aggregate->on_backend_change([worker = backend.get()] { worker->wake(); });
  backend->start();
  return backend;
}

// Traffic of every real link sliver, from the host end of its first node's port.
std::vector<am::LinkCounters> link_counters(const am::Provisioner& backend) {
  std::vector<am::LinkCounters> counters;
  for (const am::LinkDevice& link : backend.link_devices()) {
    if (const auto read = federation::device_counters(link.netns, link.device)) {
      counters.push_back({link.sliver_urn, read->rx_bytes, read->tx_bytes, read->rx_packets, read->tx_packets});
    }
  }
  return counters;
}

// SIGTERM/SIGINT drain and stop the server; SIGHUP reloads trust roots, certificate and inventory.
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
  const OpenAggregate open = open_aggregate(config);
  Trust trust{std::make_shared<rpc::TlsContextHolder>(
                  rpc::ServerTlsConfig{config.certificate, config.private_key, config.trust_roots}),
              trust::TrustRoots::load_directory(config.trust_roots), open.inventory, config.inventory};
  am::Aggregate& aggregate = *open.aggregate;
  am::AmService service(config.public_url, listen_url(config, config.port),
                        {.max_bytes = config.limits.max_body_bytes});
  am::add_get_version(service, config.aggregate_urn());
  am::add_aggregate_api(service, aggregate,
                        std::make_shared<trust::Authorizer>(trust.roots, std::make_shared<trust::CredentialCache>()));
  const std::unique_ptr<am::Provisioner> backend = start_backend(config, open);  // outlives ops and reaper
  AmOps ops(config, *open.store, open.inventory);
  if (backend) ops.set_link_counters([worker = backend.get()] { return link_counters(*worker); });
  rpc::HttpsServer server(trust.tls, ops.route([&service](const rpc::HttpRequest& request) { return service.handle(request); }),
                          config.limits);
  server.listen(config.listen_address, config.port);
  ops.start(config.public_url.empty() ? listen_url(config, server.port()) : config.public_url);
  boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM, SIGHUP);
  handle_signals(signals, server, trust);
  const PeriodicTask reaper("reaper", config.reap_interval, [&aggregate] { aggregate.reap_expired(); });
  logger("am")->info("event=listening url={} urn={} data_dir={} trust_roots={} store={}",
                     listen_url(config, server.port()) + "/am/3.0", config.aggregate_urn(),
                     log_value(config.data_dir.string()), log_value(config.trust_roots.string()),
                     log_value(open.store->dialect() == store::Dialect::sqlite ? config.db : "postgresql"));
  server.run();
  logger("am")->info("event=stopped requests={}", server.stats().requests.load());
}

}  // namespace

void add_am_command(CLI::App& app) {
  auto options = std::make_shared<AmOptions>();
  CLI::App* am = app.add_subcommand("am", "Run the aggregate manager: AM API v3 at /am/3.0 and /, v2 at /am/2.0");
  add_am_options(*am, *options, true);
  am->footer(am::settings_help());
  am->callback([options] { run_am(*options); });
}

}  // namespace federa::app
