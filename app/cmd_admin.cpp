// `federa admin`: operator actions on an aggregate's store, beside or instead of a running
// `federa am` (the store is the shared truth; every action is one transaction).
#include <iostream>

#include "app/am_setup.h"
#include "app/cmd_admin_snapshot.h"
#include "app/commands.h"
#include "common/log.h"

namespace federa::app {
namespace {

struct AdminOptions {
  AmOptions am;
  std::string slice_urn;
  std::string host_urn;
  bool shutdown_only = false;
};

void list_slices(const AdminOptions& options) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  for (const am::SliceRecord& slice : open.aggregate->slices(options.shutdown_only)) {
    std::cout << slice.urn << "  expires=" << format_rfc3339(slice.expires)
              << (slice.shutdown ? "  SHUT DOWN" : "") << "\n";
  }
}

void shutdown(const AdminOptions& options) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  open.aggregate->shutdown(options.slice_urn);
  std::cout << "shut down " << options.slice_urn << ": slivers stopped and kept; every call on it is refused\n";
}

void drain(const AdminOptions& options, bool drained) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  open.aggregate->drain(options.host_urn, drained);
  std::cout << (drained ? "drained " : "returned ") << options.host_urn
            << (drained ? ": its slivers stay, no new ones land there\n" : ": it takes new slivers again\n");
}

void list_drained(const AdminOptions& options) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  for (const std::string& host : open.aggregate->drained_hosts()) std::cout << host << "\n";
}

void clear_shutdown(const AdminOptions& options) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  open.aggregate->clear_shutdown(options.slice_urn);
  std::cout << "cleared the shutdown of " << options.slice_urn << "\n";
}

CLI::App* subcommand(CLI::App& admin, AdminOptions& options, const char* name, const char* help) {
  CLI::App* command = admin.add_subcommand(name, help);
  add_am_options(*command, options.am, false);
  return command;
}

void add_snapshot_commands(CLI::App& admin) {
  auto options = std::make_shared<AdminSnapshotOptions>();
  const auto command = [&](const char* name, const char* help) {
    CLI::App* sub = admin.add_subcommand(name, help);
    add_am_options(*sub, options->am, false);
    return sub;
  };
  CLI::App* take = command("snapshot", "Consistent snapshot of a running slice (nodes and in-flight frames), by federa am");
  take->add_option("slice", options->slice_urn, "slice URN")->required();
  take->add_option("--mode", options->mode, "live (the default: guests stop only for their last memory pass) or stop-the-world")
      ->check(CLI::IsMember({"live", "stop-the-world"}));
  take->add_option("--timeout", options->timeout_s, "seconds to wait for the aggregate");
  take->callback([options] { run_slice_operation(*options, "federa_snapshot"); });
  CLI::App* back = command("restore", "Return a slice to one of its snapshots, by federa am");
  back->add_option("slice", options->slice_urn, "slice URN")->required();
  back->add_option("snapshot", options->snapshot_id, "snapshot id (federa admin snapshots)")->required();
  back->add_option("--timeout", options->timeout_s, "seconds to wait for the aggregate");
  back->callback([options] { run_slice_operation(*options, "federa_restore"); });
  CLI::App* list = command("snapshots", "List snapshots, of one slice or of all");
  list->add_option("slice", options->slice_urn, "slice URN");
  list->callback([options] { list_snapshots(*options); });
  CLI::App* remove = command("delete-snapshot", "Forget a snapshot and delete its files");
  remove->add_option("snapshot", options->snapshot_id, "snapshot id")->required();
  remove->callback([options] { delete_snapshot(*options); });
  CLI::App* move = command("migrate", "Live-migrate a node sliver to another host, its links following, by federa am");
  move->add_option("sliver", options->sliver_urn, "node sliver URN")->required();
  move->add_option("--to", options->host_urn, "destination host URN (default: where the mapper puts it)");
  move->add_option("--timeout", options->timeout_s, "seconds to wait for the aggregate");
  move->callback([options] { migrate_sliver(*options); });
  CLI::App* evacuate = command("drain-host", "Drain a host and live-migrate every node off it, by federa am");
  evacuate->add_option("host", options->host_urn, "host URN (component_id)")->required();
  evacuate->add_option("--timeout", options->timeout_s, "seconds to wait for the aggregate");
  evacuate->callback([options] { drain_host(*options); });
}

}  // namespace

void add_admin_command(CLI::App& app) {
  auto options = std::make_shared<AdminOptions>();
  CLI::App* admin = app.add_subcommand("admin", "Operator actions on an aggregate's store (same config as federa am)");
  admin->require_subcommand(1);
  CLI::App* slices = subcommand(*admin, *options, "slices", "List slices (with --shutdown, only shut-down ones)");
  slices->add_flag("--shutdown", options->shutdown_only, "only slices an operator shut down");
  slices->callback([options] { list_slices(*options); });
  CLI::App* stop = subcommand(*admin, *options, "shutdown", "Emergency stop: stop a slice's slivers, keep them, refuse every call");
  stop->add_option("slice", options->slice_urn, "slice URN")->required();
  stop->callback([options] {
    init_logging(options->am.log_level.value_or("warn"));
    shutdown(*options);
  });
  CLI::App* clear = subcommand(*admin, *options, "clear-shutdown", "Let a shut-down slice be used again");
  clear->add_option("slice", options->slice_urn, "slice URN")->required();
  clear->callback([options] { clear_shutdown(*options); });
  CLI::App* drain_cmd = subcommand(*admin, *options, "drain", "Drain a host for maintenance: no new slivers land there");
  drain_cmd->add_option("host", options->host_urn, "host URN (component_id)")->required();
  drain_cmd->callback([options] { drain(*options, true); });
  CLI::App* undrain = subcommand(*admin, *options, "undrain", "Return a drained host to service");
  undrain->add_option("host", options->host_urn, "host URN (component_id)")->required();
  undrain->callback([options] { drain(*options, false); });
  CLI::App* drained = subcommand(*admin, *options, "drained", "List drained hosts");
  drained->callback([options] { list_drained(*options); });
  add_snapshot_commands(*admin);
}

}  // namespace federa::app
