#include "app/commands.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>

#include "am/ops_source.h"
#include "app/am_setup.h"
#include "gmoc/config.h"
#include "gmoc/history.h"
#include "store/migrations.h"

namespace federa::app {
namespace {

struct WhohadOptions {
  AmOptions am;
  std::optional<std::string> ip, mac, vlan, host;
  std::string at;
  bool json = false;
};

std::pair<gmoc::BindingKind, std::string> subject_of(const WhohadOptions& options) {
  if (options.vlan) return {gmoc::BindingKind::kVlan, *options.vlan};
  if (options.ip) return {gmoc::BindingKind::kIp, *options.ip};
  if (options.mac) return {gmoc::BindingKind::kMac, *options.mac};
  return {gmoc::BindingKind::kHost, *options.host};
}

std::string until_text(const gmoc::Binding& binding) {
  return binding.until ? format_rfc3339(*binding.until) : "(still held)";
}

void run_whohad(const WhohadOptions& options) {
  const auto at = parse_rfc3339(options.at);
  if (!at) throw std::runtime_error("--at '" + options.at + "' is not a time (RFC 3339, e.g. 2026-11-21T05:26:54Z)");
  const am::AmConfig config = effective_config(options.am);
  const OpenAggregate open = open_aggregate(config);
  store::migrate(*open.store, gmoc::History::migrations(config.schema_dir));
  const auto ops = gmoc::load_am_ops_config(config.data_dir / "ops.toml", config.authority, config.data_dir, {});
  gmoc::History history(*open.store);
  // Bring the history up to date first: the running AM may not have recorded the latest change.
  history.refresh(am::OpsSource(*open.store, open.inventory, {ops.id, config.aggregate_urn(), "", {}, {}}));
  const auto [kind, value] = subject_of(options);
  const auto holders = history.who_had(kind, value, *at);
  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const gmoc::Binding& b : holders) {
      list.push_back({{"kind", to_string(b.kind)}, {"value", b.value}, {"resource", b.resource}, {"slice_urn", b.slice_urn},
                      {"sliver_urn", b.sliver_urn}, {"users", b.users}, {"from", format_rfc3339(b.from)},
                      {"until", b.until ? nlohmann::json(format_rfc3339(*b.until)) : nlohmann::json(nullptr)}});
    }
    std::cout << list.dump(2) << '\n';
    return;
  }
  if (holders.empty()) {
    std::cout << "nobody held " << to_string(kind) << ' ' << value << " at " << format_rfc3339(*at) << '\n';
    return;
  }
  for (const gmoc::Binding& b : holders) {
    std::cout << to_string(b.kind) << ' ' << b.value << (b.resource.empty() ? "" : " on " + b.resource) << '\n'
              << "  slice   " << b.slice_urn << "\n  sliver  " << b.sliver_urn << "\n  from    "
              << format_rfc3339(b.from) << "\n  until   " << until_text(b) << '\n';
    for (const std::string& user : b.users) std::cout << "  user    " << user << '\n';
  }
}

}  // namespace

void add_admin_ops_commands(CLI::App& admin) {
  auto options = std::make_shared<WhohadOptions>();
  CLI::App* whohad = admin.add_subcommand(
      "whohad", "Who held a VLAN tag, IP, MAC or host at a time: slice, sliver, users, from/until");
  add_am_options(*whohad, options->am, false);
  auto* vlan = whohad->add_option("--vlan", options->vlan, "a VLAN tag");
  auto* ip = whohad->add_option("--ip", options->ip, "an IP address");
  auto* mac = whohad->add_option("--mac", options->mac, "a MAC address");
  auto* host = whohad->add_option("--host", options->host, "a host URN");
  vlan->excludes(ip, mac, host);
  ip->excludes(mac, host);
  mac->excludes(host);
  whohad->add_option("--at", options->at, "the time (RFC 3339)")->required();
  whohad->add_flag("--json", options->json, "print the bindings as JSON");
  whohad->callback([options] {
    if (!options->vlan && !options->ip && !options->mac && !options->host) {
      throw CLI::ValidationError("whohad", "give one of --vlan, --ip, --mac, --host");
    }
    run_whohad(*options);
  });
}

}  // namespace federa::app
