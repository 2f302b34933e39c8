// `federa am`: the aggregate manager service.
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <optional>

#include "am/am_config.h"
#include "am/am_service.h"
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
};

am::AmConfig effective_config(const AmOptions& options) {
  am::AmConfig config = am::load_am_config(options.config_file);
  if (options.data_dir) config.data_dir = *options.data_dir;
  if (options.listen) config.listen_address = *options.listen;
  if (options.port) config.port = *options.port;
  if (options.authority) config.authority = *options.authority;
  if (options.public_url) config.public_url = *options.public_url;
  if (options.log_level) config.log_level = *options.log_level;
  am::resolve_paths(config);
  return config;
}

std::string listen_url(const am::AmConfig& config, unsigned short port) {
  return "https://" + config.listen_address + ":" + std::to_string(port);
}

// SIGTERM/SIGINT drain and stop the server; SIGHUP reloads the TLS trust roots and certificate.
void handle_signals(boost::asio::signal_set& signals, rpc::HttpsServer& server, rpc::TlsContextHolder& tls) {
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      try {
        tls.reload();
        logger("am")->info("event=tls_reloaded");
      } catch (const std::exception& error) {
        logger("am")->error("event=tls_reload_failed error={}", log_value(error.what()));
      }
      return handle_signals(signals, server, tls);
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
  auto tls = std::make_shared<rpc::TlsContextHolder>(
      rpc::ServerTlsConfig{config.certificate, config.private_key, config.trust_roots});
  am::AmService service(config.public_url, listen_url(config, config.port),
                        {.max_bytes = config.limits.max_body_bytes});
  am::add_get_version(service, config.aggregate_urn());
  rpc::HttpsServer server(tls, [&service](const rpc::HttpRequest& request) { return service.handle(request); },
                          config.limits);
  server.listen(config.listen_address, config.port);
  boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM, SIGHUP);
  handle_signals(signals, server, *tls);
  logger("am")->info("event=listening url={} urn={} data_dir={} trust_roots={}",
                     listen_url(config, server.port()) + "/am/3.0", config.aggregate_urn(),
                     log_value(config.data_dir.string()), log_value(config.trust_roots.string()));
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
  am->footer(am::settings_help());
  am->callback([options] { run_am(*options); });
}

}  // namespace federa::app
