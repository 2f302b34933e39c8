// `federa gmoc`: receives aggregates' push reports on HTTPS, probes their AM APIs, polls their
// datastores, keeps everything in its store and serves the dashboard with the emergency stop on
// plain HTTP.
#include "app/commands.h"

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <optional>

#include "common/data_dir.h"
#include "common/log.h"
#include "common/periodic_task.h"
#include "gmoc/collector.h"
#include "gmoc/config.h"
#include "gmoc/http_listener.h"
#include "gmoc/poller.h"
#include "store/store.h"

namespace federa::app {
namespace {

struct GmocOptions {
  std::filesystem::path config_file;
  std::optional<std::filesystem::path> data_dir;
  std::optional<unsigned short> port;
  std::optional<unsigned short> dashboard_port;
  std::string log_level = "info";
};

std::filesystem::path data_dir_of(const GmocOptions& options) {
  return options.data_dir ? *options.data_dir : default_data_dir();
}

void run_gmoc(const GmocOptions& options) {
  init_logging(options.log_level);
  gmoc::GmocConfig config = gmoc::load_gmoc_config(options.config_file, data_dir_of(options));
  if (options.port) config.port = *options.port;
  if (options.dashboard_port) config.dashboard_port = *options.dashboard_port;
  const auto store = store::open_store(config.store, gmoc::CollectorStore::migrations(config.schema_dir));
  gmoc::CollectorStore collector_store(*store);
  for (const auto& aggregate : config.aggregates) collector_store.add_aggregate(aggregate);
  gmoc::Collector collector(collector_store, {config.operator_identity, config.operators, config.web_dir});
  if (config.operators.empty()) {
    logger("gmoc")->warn("event=no_operators hint={}", log_value("add [operators] name = \"token\" to use the dashboard API"));
  }
  auto tls = std::make_shared<rpc::TlsContextHolder>(
      rpc::ServerTlsConfig{config.certificate, config.private_key, config.trust_roots});
  rpc::HttpsServer server(tls, [&collector](const rpc::HttpRequest& request) { return collector.handle_push(request); },
                          rpc::ServerLimits{});
  server.listen(config.listen, config.port);
  gmoc::HttpListener dashboard(config.dashboard_listen, config.dashboard_port,
                               [&collector](const rpc::HttpRequest& request, const std::string& authorization) {
                                 return collector.handle_dashboard(request, authorization);
                               });
  boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM);
  signals.async_wait([&server](const boost::system::error_code& ec, int) {
    if (!ec) server.stop();
  });
  const PeriodicTask prober("probe", config.probe_interval, [&collector] { collector.probe_health(); });
  gmoc::Poller poller(collector_store, config.poll);
  std::optional<PeriodicTask> polls;
  if (config.poll_datastores) polls.emplace("poll", config.probe_interval, [&poller] { poller.poll_all(); });
  logger("gmoc")->info("event=listening url=https://{}:{}/gmoc/push dashboard=http://{}:{}/ store={}", config.listen,
                       server.port(), config.dashboard_listen, dashboard.port(),
                       log_value(store->dialect() == store::Dialect::sqlite ? config.store : "postgresql"));
  server.run();
  logger("gmoc")->info("event=stopped");
}

}  // namespace

void add_gmoc_command(CLI::App& app) {
  auto options = std::make_shared<GmocOptions>();
  CLI::App* gmoc = app.add_subcommand("gmoc", "Run the GMOC collector: push receiver, AM health probes, dashboard "
                                              "with emergency stop (docs/operations.md)");
  gmoc->add_option("-c,--config", options->config_file, "TOML configuration file")->check(CLI::ExistingFile);
  gmoc->add_option("--data-dir", options->data_dir, "default: $FEDERA_DATA_DIR or ~/.local/share/federa");
  gmoc->add_option("--port", options->port, "overrides server.port (HTTPS, pushes; 0 = any free port)");
  gmoc->add_option("--dashboard-port", options->dashboard_port, "overrides server.dashboard_port (0 = any free port)");
  gmoc->add_option("--log-level", options->log_level, "trace, debug, info, warn, error");
  gmoc->footer(gmoc::gmoc_settings_help());
  gmoc->callback([options] { run_gmoc(*options); });
}

}  // namespace federa::app
