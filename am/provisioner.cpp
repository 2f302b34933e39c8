#include "am/provisioner.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include "am/backend_plan.h"
#include "am/replacement.h"
#include "snapshot/ensemble_migration.h"
#include "am/slice_store.h"
#include "common/geni_error.h"
#include "common/log.h"
#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"
#include "federation/net_capabilities.h"
#include "rspec/parse.h"

namespace federa::am {
namespace {

using federation::DomainState;
using federation::NodeStatus;
using S = OperationalState;

struct SliceState {
  SliceRecord slice;
  std::vector<SliverRecord> slivers;  // provisioned ones
  std::vector<rspec::RSpec> requests;
  std::vector<SliceUser> users;
};

std::vector<SliceState> read_slices(store::Store& store) {
  return store.read([](store::Transaction& tx) {
    std::vector<SliceState> slices;
    for (SliceRecord& slice : slice_store::slices(tx, false)) {
      auto slivers = slice_store::slivers_of_slice(tx, slice.urn);
      std::erase_if(slivers, [](const SliverRecord& s) { return s.states.allocation != AllocationState::kProvisioned; });
      if (slivers.empty()) continue;
      std::vector<rspec::RSpec> requests;
      for (const std::string& text : slice_store::requests_of(tx, slice.urn)) requests.push_back(rspec::parse_request(text));
      auto users = slice_store::users_of(tx, slice.urn);
      slices.push_back({std::move(slice), std::move(slivers), std::move(requests), std::move(users)});
    }
    return slices;
  });
}

bool wants_on(S state) { return state == S::kConfiguring || state == S::kReady || state == S::kReadyBusy; }

bool is_running(DomainState state) { return state == DomainState::kRunning || state == DomainState::kBlocked; }

bool failed(const NodeStatus& status) { return federation::operational_state(status).name == "geni_failed"; }

// The namespaces whose devices this aggregate's links use.
std::set<std::string> link_namespaces(const federation::Inventory& inventory) {
  std::set<std::string> namespaces;
  for (const federation::Host& host : inventory.hosts()) {
    if (host.network) namespaces.insert(host.network->netns);
    else if (!host.backend.starts_with("test:")) namespaces.insert("");
  }
  return namespaces;
}

std::vector<std::string> federa_tables(const std::string& netns) {
  std::istringstream lines(federation::run_nft(netns, {"list", "tables"}));
  std::vector<std::string> tables;
  std::string word, family, name;
  while (lines >> word >> family >> name) {
    if (word == "table" && federation::is_federa_table(name)) tables.push_back(family + " " + name);
  }
  return tables;
}

std::string login_of(const federation::LoginInfo& login) {
  return login.hostname.empty() ? "" : login.hostname + ":" + std::to_string(login.port);
}

bool forwards_login(const std::string& uri) { return uri.starts_with("qemu"); }

int port_of(const std::string& login) {
  const auto colon = login.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(login.c_str() + colon + 1);
}

}  // namespace

// One pass: the store as read at its start, the plans, and the rows to write at its end.
class Provisioner::Pass {
 public:
  Pass(Provisioner& owner, const federation::Inventory& inventory) : owner_(owner), inventory_(inventory) {}

  PassReport run() {
    for (SliceState& slice : read_slices(owner_.store_)) plan(slice);
    sweep();
    for (Planned& planned : planned_) converge_links(planned);
    for (Planned& planned : planned_) converge_nodes(planned);
    for (Planned& planned : planned_) cut_links(planned);
    for (Planned& planned : planned_) slice_operation(planned);
    write();
    publish_link_devices();
    return report_;
  }

 private:
  struct Planned {
    SliceState slice;
    SlicePlan plan;
  };

  SliverRecord& after(const SliverRecord& before) {
    auto [it, fresh] = after_.try_emplace(before.urn, before);
    if (fresh) before_.emplace(before.urn, before);
    return it->second;
  }

  void fail(const SliverRecord& sliver, const std::string& why) {
    SliverRecord& row = after(sliver);
    if (row.states.operational == S::kFailed) return;
    row.states.operational = S::kFailed;
    row.error = why;
    row.progress.clear();
    row.login.clear();
    ++report_.failed;
    logger("backend")->warn("event=sliver_failed sliver={} slice={} error={}", sliver.urn, sliver.slice_urn, log_value(why));
  }

  void plan(SliceState& slice) {
    provisioned_slices_.insert(slice.slice.urn);
    try {
      SlicePlan plan = plan_slice({slice.slice.urn, slice.slivers, slice.requests, slice.users, inventory_,
                                   owner_.options_.default_image});
      for (PlannedNode& node : plan.nodes) {
        desired_nodes_.insert(node.spec.name);
        const SliverRecord& record = *find(slice.slivers, node.sliver_urn);
        if (forwards_login(node.driver_uri)) node.spec.login_port = port_of(record.login);
        if (node.spec.login_port) login_ports_.insert(node.spec.login_port);
      }
      for (const PlannedLink& link : plan.links) keep_devices(link);
      planned_.push_back({std::move(slice), std::move(plan)});
    } catch (const std::exception& error) {
      for (const SliverRecord& sliver : slice.slivers) fail(sliver, std::string("cannot plan the slice: ") + error.what());
    }
  }

  void keep_devices(const PlannedLink& link) {
    if (link.simulated) return;
    for (const federation::HostNetwork& host : link.segment.hosts) {
      for (const std::string& name : federation::LinkDriver::device_names(link.segment, host)) {
        desired_devices_[host.netns].insert(name);
      }
      desired_tables_[host.netns].insert("netdev " + federation::LinkDriver::cut_table(link.segment, host));
    }
  }

  // Removes every federa node, device and table no provisioned sliver wants, and the snapshots
  // of slices with nothing provisioned here any more.
  void sweep() {
    for (const federation::Host& host : inventory_.hosts()) {
      if (federation::NodeDriver* driver = owner_.driver(host.backend, host.migration_uri)) {
        sweep_nodes(*driver, host.backend);
      }
    }
    for (const std::string& netns : link_namespaces(inventory_)) sweep_devices(netns);
    sweep_snapshots();
  }

  // A deleted or expired slice's snapshots cannot be restored, and their memory images are large.
  void sweep_snapshots() {
    for (const snapshot::SnapshotRecord& snapshot : owner_.snapshots_.list()) {
      if (provisioned_slices_.contains(snapshot.slice_urn)) continue;
      owner_.snapshots_.remove(snapshot.id);
      ++report_.swept;
      logger("snapshot")->info("event=snapshot_swept id={} slice={} reason=slice_gone", snapshot.id,
                               log_value(snapshot.slice_urn));
    }
  }

  void sweep_nodes(federation::NodeDriver& driver, const std::string& uri) {
    if (!swept_drivers_.insert(&driver).second) return;
    for (const std::string& node : driver.federa_nodes()) {
      if (desired_nodes_.contains(node)) continue;
      driver.destroy(node);
      ++report_.swept;
      logger("backend")->info("event=node_removed node={} backend={}", node, log_value(uri));
    }
  }

  void sweep_devices(const std::string& netns) {
    std::vector<std::string> doomed;
    for (const auto& link : federation::list_links(netns)) {
      if (federation::is_federa_device(link.name) && !desired_devices_[netns].contains(link.name) &&
          !is_desired_port(link.name)) {
        doomed.push_back(link.name);
      }
    }
    federation::delete_links(netns, doomed);
    for (const std::string& table : federa_tables(netns)) {
      if (desired_tables_[netns].contains(table)) continue;
      federation::run_nft(netns, {"delete", "table", table.substr(0, table.find(' ')), table.substr(table.find(' ') + 1)});
      doomed.push_back(table);
    }
    report_.swept += static_cast<int>(doomed.size());
    if (!doomed.empty()) logger("backend")->info("event=devices_removed netns={} count={}", log_value(netns), doomed.size());
  }

  bool is_desired_port(const std::string& device) const {
    for (const Planned& planned : planned_) {
      for (const auto& [node, ports] : planned.plan.ports) {
        for (const PlannedPort& port : ports) {
          if (port.port.tap == device) return true;
        }
      }
    }
    return false;
  }

  static const SliverRecord* find(const std::vector<SliverRecord>& slivers, const std::string& urn) {
    for (const SliverRecord& s : slivers) {
      if (s.urn == urn) return &s;
    }
    return nullptr;
  }

  const SliverRecord* sliver(const Planned& planned, const std::string& urn) const {
    return find(planned.slice.slivers, urn);
  }

  // The lowest login port of the range no node of the aggregate holds: unique across hosts, so
  // a node keeps its port wherever it migrates.
  int allocate_login_port() {
    for (int port = owner_.options_.first_login_port; port < owner_.options_.first_login_port + owner_.options_.login_ports;
         ++port) {
      if (login_ports_.insert(port).second) return port;
    }
    throw GeniError(GeniCode::kServerError, "every login port is taken; widen backend.login_ports");
  }

  void converge_links(Planned& planned) {
    for (const PlannedLink& link : planned.plan.links) {
      const SliverRecord& record = *sliver(planned, link.sliver_urn);
      if (record.states.operational == S::kFailed) continue;
      if (!link.simulated && !segment_exists(link.segment)) build_segment(record, link.segment, planned.plan);
      if (after(record).states.operational == S::kFailed) continue;
      SliverRecord& row = after(record);
      const bool on = wants_on(record.states.operational) && !planned.slice.slice.shutdown;
      row.states.operational = on ? S::kReady : S::kNotReady;
      row.progress = on ? "" : (planned.slice.slice.shutdown ? "cut: the slice is shut down" : "cut: stopped");
    }
  }

  // Every device the segment needs is there (a node that moved changes a link's hosts).
  static bool segment_exists(const federation::SegmentSpec& segment) {
    for (const federation::HostNetwork& host : segment.hosts) {
      std::set<std::string> present;
      for (const auto& device : federation::list_links(host.netns)) present.insert(device.name);
      for (const std::string& name : federation::LinkDriver::device_names(segment, host)) {
        if (!present.contains(name)) return false;
      }
    }
    return true;
  }

  // Builds what the segment lacks (existing bridges and their ports stay) and puts on its
  // bridges the node ports that exist already (a running VM's tap after its bridge was lost).
  void build_segment(const SliverRecord& record, const federation::SegmentSpec& segment, const SlicePlan& plan) {
    try {
      owner_.links_.ensure_segment(segment);
      reattach_ports(segment, plan);
      ++report_.built;
      logger("backend")->info("event=segment_built sliver={} link={} vni={}", record.urn, segment.link_id, segment.vni);
    } catch (const std::exception& error) {
      owner_.links_.destroy_segment(segment);
      fail(record, std::string("cannot build link ") + segment.link_id + ": " + error.what());
    }
  }

  static void reattach_ports(const federation::SegmentSpec& segment, const SlicePlan& plan) {
    for (const federation::HostNetwork& host : segment.hosts) {
      const std::string bridge = federation::LinkDriver::bridge_name(segment, host);
      std::string batch;
      for (const auto& device : federation::list_links(host.netns)) {
        for (const auto& [node, ports] : plan.ports) {
          for (const PlannedPort& port : ports) {
            if (port.port.tap == device.name && port.port.bridge == bridge && device.master != bridge) {
              batch += "link set " + device.name + " master " + bridge + " up\n";
            }
          }
        }
      }
      if (!batch.empty()) federation::run_checked(federation::ip_command(host.netns, {"-batch", "-"}), batch);
    }
  }

  void cut_links(Planned& planned) {
    for (const PlannedLink& link : planned.plan.links) {
      if (link.simulated) continue;
      const SliverRecord& row = after(*sliver(planned, link.sliver_urn));
      if (row.states.operational == S::kFailed) continue;
      const bool cut = row.states.operational == S::kNotReady;
      try {
        if (cut && !owner_.links_.is_cut(link.segment)) owner_.links_.cut(link.segment);
        if (!cut && owner_.links_.is_cut(link.segment)) owner_.links_.reopen(link.segment);
      } catch (const std::exception& error) {
        fail(row, std::string("cannot ") + (cut ? "cut" : "reopen") + " link " + link.segment.link_id + ": " + error.what());
      }
    }
  }

  void converge_nodes(Planned& planned) {
    for (PlannedNode& node : planned.plan.nodes) {
      const SliverRecord& record = *sliver(planned, node.sliver_urn);
      if (record.states.operational == S::kFailed) continue;
      federation::NodeDriver* driver = owner_.driver(node.driver_uri, node.peer_uri);
      if (!driver) {
        fail(record, "the host's backend " + node.driver_uri + " cannot be opened: " + owner_.driver_errors_[node.driver_uri]);
        continue;
      }
      try {
        converge_node(*driver, planned, node, record);
      } catch (const std::exception& error) {
        driver->destroy(node.spec.name);
        fail(record, error.what());
      }
    }
  }

  void define(federation::NodeDriver& driver, PlannedNode& node, const Planned& planned) {
    for (std::size_t i = 0; i < node.spec.ports.size(); ++i) node.spec.ports[i].mtu = port_mtu(planned.plan, node, i);
    if (forwards_login(node.driver_uri) && !node.spec.login_port) node.spec.login_port = allocate_login_port();
    driver.define(node.spec);
    ++report_.built;
    logger("backend")->info("event=node_defined node={} backend={} image={}", node.spec.name,
                            log_value(node.driver_uri), log_value(node.spec.image));
  }

  int port_mtu(const SlicePlan& plan, const PlannedNode& node, std::size_t index) const {
    for (const PlannedLink& link : plan.links) {
      for (const federation::HostNetwork& host : link.segment.hosts) {
        if (federation::LinkDriver::bridge_name(link.segment, host) == node.spec.ports[index].bridge) {
          return owner_.links_.mtu(link.segment, host);
        }
      }
    }
    return 0;
  }

  // Brings one node to what its sliver asks (see the header's table), then reports it.
  void converge_node(federation::NodeDriver& driver, const Planned& planned, PlannedNode& node,
                     const SliverRecord& record) {
    const std::string& name = node.spec.name;
    NodeStatus status = driver.status(name);
    const bool defined_now = status.state == DomainState::kUndefined;
    if (defined_now) {
      define(driver, node, planned);
      status = driver.status(name);
    }
    const bool shutdown = planned.slice.slice.shutdown;
    const bool on = wants_on(record.states.operational) && !shutdown;
    const bool booting = record.states.operational == S::kConfiguring || defined_now;
    if (record.pending == "restart" && on) driver.restart(name);
    if (record.pending == "update_keys") driver.update_keys(name, node.spec.ssh_keys);
    if (!failed(status)) {
      if (shutdown && is_running(status.state)) driver.suspend(name);
      if (on && status.state == DomainState::kPaused) driver.resume(name);
      if (on && booting && status.state == DomainState::kShutoff) driver.start(name);
      if (!on && !shutdown && (is_running(status.state) || status.state == DomainState::kPaused)) driver.stop(name);
    }
    SliverRecord& row = after(record);
    if (record.pending == "restart" || record.pending == "update_keys") row.pending.clear();
    report(driver, name, row, driver.status(name), shutdown);
  }

  // The sliver's state from the node's. A node that fails while it is being built is rolled back.
  void report(federation::NodeDriver& driver, const std::string& name, SliverRecord& row, const NodeStatus& status,
              bool shutdown) {
    const federation::OperationalState state = federation::operational_state(status);
    const auto mapped = operational_state_from(state.name).value_or(S::kConfiguring);
    if (mapped == S::kFailed) {
      if (before_.at(row.urn).states.operational == S::kConfiguring) driver.destroy(name);
      fail(row, state.error);
      return;
    }
    row.states.operational = mapped;
    row.error.clear();
    if (shutdown) {
      row.progress = "paused: the slice is shut down by an operator";
    } else if (mapped == S::kConfiguring) {
      row.progress = "booting (" + federation::to_string(status.state) + ")";
    } else {
      row.progress = state.error;
    }
    row.login = login_of(driver.login(name));
  }

  static std::string operation_of(const std::string& pending) {
    for (const char* kind : {"snapshot", "restore", "migrate"}) {
      if (pending.starts_with(kind)) return kind;
    }
    return "";
  }

  // federa_snapshot, federa_restore or federa_migrate asked of some of the slice's slivers:
  // one kind per pass, done now; every sliver concerned shows progress meanwhile and the outcome
  // after. A failure leaves the slice running as before.
  void slice_operation(Planned& planned) {
    std::string kind;
    std::vector<const SliverRecord*> concerned;
    for (const SliverRecord& record : planned.slice.slivers) {
      const std::string operation = operation_of(record.pending);
      if (operation.empty() || (!kind.empty() && operation != kind)) continue;
      kind = operation;
      concerned.push_back(&record);
    }
    if (concerned.empty()) return;
    const auto progress = [&](std::string_view phase, double fraction) {
      const std::string line =
          kind + ": " + std::string(phase) + " (" + std::to_string(static_cast<int>(fraction * 100)) + "%)";
      owner_.store_.transaction([&](store::Transaction& tx) {
        for (const SliverRecord* record : concerned) slice_store::set_progress(tx, record->urn, line);
      });
    };
    std::string outcome;
    try {
      outcome = kind == "migrate" ? migrate(planned, concerned, progress) : snapshot_or_restore(planned, concerned, progress);
      logger("backend")->info("event=slice_operation slice={} operation={} outcome={}", planned.slice.slice.urn, kind,
                              log_value(outcome));
    } catch (const std::exception& error) {
      outcome = kind + " failed, the slice runs on as before: " + error.what();
      logger("backend")->warn("event=slice_operation_failed slice={} operation={} error={}", planned.slice.slice.urn,
                              kind, log_value(error.what()));
    }
    for (const SliverRecord* record : concerned) {
      SliverRecord& row = after(*record);
      row.pending.clear();
      if (row.states.operational != S::kFailed) row.progress = outcome;
    }
  }

  std::string snapshot_or_restore(const Planned& planned, const std::vector<const SliverRecord*>& concerned,
                                  const snapshot::Progress& progress) {
    const snapshot::SliceDescription slice = describe(planned, concerned);
    const std::string& pending = concerned.front()->pending;
    const std::string argument = pending.find(':') == std::string::npos ? "" : pending.substr(pending.find(':') + 1);
    if (pending.starts_with("snapshot")) {
      snapshot::SnapshotOptions options;
      if (!argument.empty()) options.mode = snapshot::snapshot_mode(argument).value_or(options.mode);
      const snapshot::SnapshotRecord taken = owner_.snapshots_.take(slice, options, progress);
      return to_string(taken.mode) + " snapshot " + taken.id + " taken";
    }
    const std::string& id = argument;
    const auto report = owner_.snapshots_.restore(slice, id, progress);
    return "restored " + id + " (" + std::to_string(report.frames_injected) + " frames re-injected)";
  }

  // Places the slivers again (replacement.h) and stores it, in one transaction.
  std::vector<SliverRecord> place(const std::vector<SliverRecord>& slivers, const std::map<std::string, std::string>& hosts) {
    return owner_.store_.transaction([&](store::Transaction& tx) {
      const federation::Inventory inventory = inventory_.with_drained(slice_store::drained_hosts(tx));
      auto placed = replace_nodes(inventory, usage_except(slice_store::all_slivers(tx), slivers), slivers, hosts);
      for (const SliverRecord& sliver : placed) slice_store::replace_placement(tx, sliver);
      return placed;
    });
  }

  // Live migration of the nodes concerned (to their federa_destination, or where the mapper puts
  // them): store the new placement, build the links as they will be (ports that exist stay on
  // them), move the nodes at once (snapshot::migrate_ensemble), and put back where they were the
  // nodes that did not move.
  std::string migrate(const Planned& planned, const std::vector<const SliverRecord*>& concerned,
                      const snapshot::Progress& progress) {
    std::map<std::string, std::string> hosts;
    for (const SliverRecord* record : concerned) {
      if (record->node) hosts[record->client_id] = record->pending.substr(record->pending.find(':') + 1);
    }
    snapshot::report(progress, "place", 0.05);
    const std::vector<SliverRecord> placed = place(planned.slice.slivers, hosts);
    SlicePlan next = plan_slice({planned.slice.slice.urn, placed, planned.slice.requests, planned.slice.users, inventory_,
                                 owner_.options_.default_image});
    snapshot::report(progress, "links", 0.15);
    for (const PlannedLink& link : next.links) {
      const SliverRecord& record = *find(placed, link.sliver_urn);
      if (link.simulated || (!hosts.contains(record.link->node_a) && !hosts.contains(record.link->node_b))) continue;
      owner_.links_.ensure_segment(link.segment);  // both ends keep their bridges during the move
      reattach_ports(link.segment, next);
    }
    std::vector<snapshot::NodeMove> moves;
    std::map<std::string, std::string> origin;  // node name -> client_id
    for (PlannedNode& node : next.nodes) {
      const SliverRecord& before = *sliver(planned, node.sliver_urn);
      const SliverRecord& now = *find(placed, node.sliver_urn);
      if (!hosts.contains(before.client_id) || before.node->host_urn == now.node->host_urn) continue;
      const PlannedNode& old = *std::find_if(planned.plan.nodes.begin(), planned.plan.nodes.end(),
                                             [&](const PlannedNode& n) { return n.sliver_urn == node.sliver_urn; });
      for (std::size_t i = 0; i < node.spec.ports.size(); ++i) node.spec.ports[i].mtu = port_mtu(next, node, i);
      moves.push_back({node.spec.name, owner_.driver(old.driver_uri, old.peer_uri),
                       owner_.driver(node.driver_uri, node.peer_uri), node.spec.ports});
      origin[node.spec.name] = before.client_id;
      if (!moves.back().from || !moves.back().to) throw GeniError(GeniCode::kServerError, "a host's backend cannot be opened");
    }
    if (moves.empty()) return "nothing moved: every node is where it was asked to be";
    const auto results = snapshot::migrate_ensemble(moves, [&](std::string_view phase, double f) {
      snapshot::report(progress, phase, 0.2 + 0.75 * f);
    });
    std::map<std::string, std::string> back;
    std::string outcome;
    for (const snapshot::MoveResult& result : results) {
      const SliverRecord& before = *find(planned.slice.slivers, *sliver_urn_of(planned, origin[result.node]));
      if (result.moved) {
        outcome += (outcome.empty() ? "" : "; ") + origin[result.node] + " moved to " +
                   find(placed, before.urn)->node->host_urn + " (downtime " +
                   std::to_string(static_cast<long>(result.stats.downtime_ms)) + " ms)";
      } else {
        back[before.client_id] = before.node->host_urn;
        outcome += (outcome.empty() ? "" : "; ") + origin[result.node] + " stayed: " + result.error;
      }
    }
    if (!back.empty()) place(placed, back);  // the links follow at the next pass
    return outcome;
  }

  static const std::string* sliver_urn_of(const Planned& planned, const std::string& client_id) {
    for (const SliverRecord& record : planned.slice.slivers) {
      if (record.client_id == client_id) return &record.urn;
    }
    return nullptr;
  }

  // The nodes concerned with their ports, and the links whose both ends are among them.
  snapshot::SliceDescription describe(const Planned& planned, const std::vector<const SliverRecord*>& concerned) {
    snapshot::SliceDescription slice{planned.slice.slice.urn, {}, {}};
    std::set<std::string> clients;
    for (const SliverRecord* record : concerned) clients.insert(record->client_id);
    for (const PlannedNode& node : planned.plan.nodes) {
      const SliverRecord& record = *sliver(planned, node.sliver_urn);
      if (!clients.contains(record.client_id)) continue;
      snapshot::SliceNode member{node.spec.name, owner_.driver(node.driver_uri, node.peer_uri), {}};
      for (const PlannedPort& port : planned.plan.ports.at(record.client_id)) {
        member.ports.push_back({port.link_client_id, port.port.tap, netns_of(planned, port)});
      }
      slice.nodes.push_back(std::move(member));
    }
    for (const PlannedLink& link : planned.plan.links) {
      const SliverRecord& record = *sliver(planned, link.sliver_urn);
      if (!link.simulated && clients.contains(record.link->node_a) && clients.contains(record.link->node_b)) {
        slice.links.push_back(link.segment);
      }
    }
    std::erase_if(slice.nodes, [&](snapshot::SliceNode& node) {
      std::erase_if(node.ports, [&](const snapshot::SlicePort& port) {
        return std::none_of(slice.links.begin(), slice.links.end(),
                            [&](const auto& segment) { return segment.link_id == port.link_id; });
      });
      return node.driver == nullptr;
    });
    return slice;
  }

  static std::string netns_of(const Planned& planned, const PlannedPort& port) {
    for (const PlannedLink& link : planned.plan.links) {
      for (const federation::HostNetwork& host : link.segment.hosts) {
        if (federation::LinkDriver::bridge_name(link.segment, host) == port.port.bridge) return host.netns;
      }
    }
    return "";
  }

  void publish_link_devices() {
    std::vector<LinkDevice> devices;
    for (const Planned& planned : planned_) {
      for (const PlannedLink& link : planned.plan.links) {
        const SliverRecord& record = *sliver(planned, link.sliver_urn);
        if (link.simulated || after(record).states.operational == S::kFailed) continue;
        const auto& ports = planned.plan.ports.at(record.link->node_a);
        for (const PlannedPort& port : ports) {
          if (port.link_client_id == record.client_id) {
            devices.push_back({record.urn, link.segment.hosts.front().netns, port.port.tap});
          }
        }
      }
    }
    const std::lock_guard lock(owner_.devices_mutex_);
    owner_.link_devices_ = std::move(devices);
  }

  void write() {
    std::vector<std::pair<SliverRecord, SliverRecord>> changes;
    for (const auto& [urn, row] : after_) {
      const SliverRecord& before = before_.at(urn);
      if (row.states == before.states && row.error == before.error && row.pending == before.pending &&
          row.progress == before.progress && row.login == before.login) {
        continue;
      }
      changes.emplace_back(before, row);
    }
    if (changes.empty()) return;
    owner_.store_.transaction([&](store::Transaction& tx) {
      for (const auto& [before, row] : changes) {
        if (!slice_store::record_backend_state(tx, before, row)) continue;
        ++report_.changed;
        slice_store::record_event(tx, now_utc(), row.slice_urn, row.urn, "backend",
                                  std::string(to_string(row.states.operational)) + (row.error.empty() ? "" : ": " + row.error));
      }
    });
  }

  Provisioner& owner_;
  const federation::Inventory& inventory_;
  std::vector<Planned> planned_;
  std::set<std::string> desired_nodes_;
  std::set<std::string> provisioned_slices_;
  std::map<std::string, std::set<std::string>> desired_devices_;
  std::map<std::string, std::set<std::string>> desired_tables_;
  std::set<federation::NodeDriver*> swept_drivers_;
  std::set<int> login_ports_;  // held by the aggregate's QEMU nodes
  std::map<std::string, SliverRecord> before_;
  std::map<std::string, SliverRecord> after_;
  PassReport report_;
};

Provisioner::Provisioner(store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory,
                         BackendOptions options)
    : store_(store), inventory_(std::move(inventory)), options_(std::move(options)),
      links_(federation::probe_net_capabilities()),
      snapshots_(store_, options_.nodes.state_dir / "snapshots") {}

Provisioner::~Provisioner() { stop(); }

federation::NodeDriver* Provisioner::driver(const std::string& uri, const std::string& peer_uri) {
  const std::string key = uri + "\n" + peer_uri;
  if (const auto it = drivers_.find(key); it != drivers_.end()) return it->second.get();
  try {
    auto& slot = drivers_[key];
    federation::NodeDriverOptions options = options_.nodes;
    options.peer_uri = peer_uri;
    slot = federation::open_node_driver(uri, options);
    driver_errors_.erase(uri);
    logger("backend")->info("event=backend_opened backend={}", log_value(uri));
    return slot.get();
  } catch (const std::exception& error) {
    drivers_.erase(key);
    if (driver_errors_[uri] != error.what()) {
      logger("backend")->error("event=backend_unavailable backend={} error={}", log_value(uri), log_value(error.what()));
    }
    driver_errors_[uri] = error.what();
    return nullptr;
  }
}

PassReport Provisioner::reconcile() {
  const std::lock_guard lock(pass_mutex_);
  const auto inventory = inventory_->snapshot();
  PassReport report = Pass(*this, *inventory).run();
  if (report.built || report.changed || report.swept || report.failed) {
    logger("backend")->info("event=backend_pass built={} changed={} swept={} failed={}", report.built, report.changed,
                            report.swept, report.failed);
  }
  return report;
}

std::vector<LinkDevice> Provisioner::link_devices() const {
  const std::lock_guard lock(devices_mutex_);
  return link_devices_;
}

void Provisioner::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Provisioner::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  woken_.notify_all();
  thread_.join();
}

void Provisioner::wake() {
  {
    const std::lock_guard lock(wake_mutex_);
    wake_requested_ = true;
  }
  woken_.notify_all();
}

void Provisioner::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    try {
      reconcile();
    } catch (const std::exception& error) {
      logger("backend")->error("event=backend_pass_failed error={}", log_value(error.what()));
    }
    std::unique_lock lock(wake_mutex_);
    woken_.wait_for(lock, stop, options_.interval, [this] { return wake_requested_; });
    wake_requested_ = false;
  }
}

}  // namespace federa::am
