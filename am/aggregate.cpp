#include "am/aggregate.h"

#include <algorithm>
#include <functional>

#include "am/backend_plan.h"
#include "am/slice_rspec.h"
#include "clearinghouse/urn.h"
#include "common/geni_error.h"
#include "common/log.h"
#include "common/uuid.h"
#include "federation/availability.h"
#include "rspec/parse.h"
#include "rspec/write.h"
#include "snapshot/snapshot_record.h"

namespace federa::am {
namespace {

federation::Usage usage_of(const std::vector<SliverRecord>& slivers) {
  federation::Placement placement;
  for (const SliverRecord& sliver : slivers) {
    if (sliver.node) placement.nodes.push_back(*sliver.node);
    if (sliver.link) placement.links.push_back(*sliver.link);
  }
  federation::Usage usage;
  usage.add(placement);
  return usage;
}

void refuse_taken_client_ids(const std::vector<SliverRecord>& existing, const federation::TopologyRequest& topology) {
  for (const auto& node : topology.nodes) {
    for (const SliverRecord& sliver : existing) {
      if (sliver.client_id == node.client_id) {
        throw GeniError(GeniCode::kAlreadyExists, "the slice already has a sliver for client_id '" + node.client_id +
                                                      "' (" + sliver.urn + "); Delete it or choose another client_id");
      }
    }
  }
}

SliverRecord new_sliver(const std::string& authority, const std::string& slice_urn, const std::string& client_id,
                        Timestamp now, Timestamp end, Timestamp expires) {
  SliverRecord sliver;
  sliver.urn = "urn:publicid:IDN+" + authority + "+sliver+" + new_uuid();
  sliver.slice_urn = slice_urn;
  sliver.client_id = client_id;
  sliver.states = kAfterAllocate;
  sliver.start_time = now;
  sliver.end_time = end;
  sliver.expires = expires;
  return sliver;
}

std::vector<SliverRecord> slivers_for(const federation::Placement& placement, const AggregatePolicy& policy,
                                      const std::string& slice_urn, Timestamp now, Timestamp end, Timestamp expires) {
  std::vector<SliverRecord> slivers;
  for (const auto& node : placement.nodes) {
    SliverRecord sliver = new_sliver(policy.authority, slice_urn, node.client_id, now, end, expires);
    sliver.kind = SliverKind::kNode;
    sliver.component_id = node.host_urn;
    sliver.component_manager_id = node.site_urn;
    sliver.node = node;
    slivers.push_back(std::move(sliver));
  }
  for (const auto& link : placement.links) {
    SliverRecord sliver = new_sliver(policy.authority, slice_urn, link.client_id, now, end, expires);
    sliver.kind = SliverKind::kLink;
    sliver.link = link;
    slivers.push_back(std::move(sliver));
  }
  return slivers;
}

std::string kind_of_urn(const std::string& urn) {
  const auto parsed = trust::Urn::try_parse(urn);
  if (!parsed) throw GeniError(GeniCode::kBadArgs, "'" + urn + "' is not a valid GENI URN");
  return parsed->type();
}

// What the backend worker must do beyond reaching the rule's state.
std::string pending_work(const ActionRule& rule, const std::string& argument) {
  if (rule.action == "geni_update_users") return "update_keys";
  if (rule.action == "federa_snapshot") return argument.empty() ? "snapshot" : "snapshot:" + argument;
  if (rule.action == "federa_restore") return "restore:" + argument;
  if (rule.action == "federa_migrate") return "migrate:" + argument;
  if (rule.action == "geni_restart" || rule.from == OperationalState::kFailed) return "restart";
  return "";
}

std::string describe_span(Timestamp from, Timestamp to) {
  return format_rfc3339(from) + " .. " + format_rfc3339(to);
}

// <federa:snapshots> in the manifest: the slice's snapshots, newest first.
std::optional<rspec::Extension> snapshots_extension(const std::vector<snapshot::SnapshotRecord>& snapshots) {
  if (snapshots.empty()) return std::nullopt;
  constexpr const char* kNamespace = "urn:federa:rspec:snapshot:1";
  std::string xml = std::string("<federa:snapshots xmlns:federa=\"") + kNamespace + "\">";
  for (const auto& record : snapshots) {
    xml += "<federa:snapshot id=\"" + record.id + "\" created=\"" + format_rfc3339(record.created) + "\" mode=\"" +
           snapshot::to_string(record.mode) + "\" nodes=\"" + std::to_string(record.nodes.size()) +
           "\" frames=\"" + std::to_string(record.frames) + "\" bytes=\"" + std::to_string(record.bytes) + "\"/>";
  }
  return rspec::Extension{kNamespace, "snapshots", xml + "</federa:snapshots>"};
}

template <class F>
auto busy_on_contention(F&& run) {
  try {
    return run();
  } catch (const store::TransientError& error) {
    throw GeniError(GeniCode::kBusy, std::string("the aggregate is busy with concurrent calls; try again (") +
                                         error.what() + ")");
  } catch (const store::ConflictError&) {
    throw GeniError(GeniCode::kBusy, "another call took the same resources at the same moment; try again");
  }
}

}  // namespace

template <class F>
auto Aggregate::write(F&& fn) const {
  return busy_on_contention([&] { return store_.transaction(std::forward<F>(fn)); });
}

template <class F>
auto Aggregate::read(F&& fn) const {
  return busy_on_contention([&] { return store_.read(std::forward<F>(fn)); });
}

Aggregate::Aggregate(store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory, AggregatePolicy policy)
    : store_(store), inventory_(std::move(inventory)), policy_(std::move(policy)) {}

std::string Aggregate::advertisement(bool available_only) const {
  return read([&](store::Transaction& tx) {
    const federation::Inventory inventory = inventory_now(tx);
    const auto free = federation::availability(inventory, usage_of(slice_store::all_slivers(tx)));
    return rspec::write_advertisement(advertisement_of(inventory, free, policy_.aggregate_urn, available_only));
  });
}

federation::Inventory Aggregate::inventory_now(store::Transaction& tx) const {
  return inventory_->snapshot()->with_drained(slice_store::drained_hosts(tx));
}

void Aggregate::drain(const std::string& host_urn, bool drained) {
  if (!inventory_->snapshot()->find_host(host_urn)) {
    throw GeniError(GeniCode::kSearchFailed, "the inventory has no host " + host_urn);
  }
  const Timestamp now = now_utc();
  write([&](store::Transaction& tx) {
    slice_store::set_drained(tx, host_urn, drained, now);
    slice_store::record_event(tx, now, "", "", drained ? "host_drained" : "host_returned", host_urn);
  });
}

std::vector<SliverRecord> Aggregate::drain_host(const std::string& host_urn) {
  drain(host_urn, true);
  const Timestamp now = now_utc();
  auto moving = write([&](store::Transaction& tx) {
    std::vector<SliverRecord> moving;
    for (SliverRecord& sliver : slice_store::all_slivers(tx)) {
      if (!sliver.node || sliver.node->host_urn != host_urn || sliver.states.allocation != AllocationState::kProvisioned ||
          sliver.states.operational != OperationalState::kReady) {
        continue;
      }
      sliver.states.operational = OperationalState::kReadyBusy;
      sliver.pending = "migrate:";
      slice_store::update_sliver(tx, sliver);
      slice_store::record_event(tx, now, sliver.slice_urn, sliver.urn, "federa_migrate", "drain " + host_urn);
      moving.push_back(std::move(sliver));
    }
    return moving;
  });
  backend_changed();
  return moving;
}

std::vector<std::string> Aggregate::drained_hosts() const {
  return read([](store::Transaction& tx) { return slice_store::drained_hosts(tx); });
}

Target Aggregate::resolve(const std::vector<std::string>& urns) const {
  if (urns.empty()) throw GeniError(GeniCode::kBadArgs, "no URNs given: name a slice or slivers of one slice");
  return read([&](store::Transaction& tx) {
    Target target;
    for (const std::string& urn : urns) {
      const std::string kind = kind_of_urn(urn);
      std::string slice_urn = urn;
      if (kind == "sliver") {
        const auto sliver = slice_store::find_sliver(tx, urn);
        if (!sliver) throw GeniError(GeniCode::kSearchFailed, "no sliver " + urn + " at this aggregate");
        slice_urn = sliver->slice_urn;
        target.sliver_urns.push_back(urn);
      } else if (kind != "slice") {
        throw GeniError(GeniCode::kBadArgs, "'" + urn + "' is a " + kind + " URN; give a slice or sliver URN");
      } else if (!slice_store::find_slice(tx, urn)) {
        throw GeniError(GeniCode::kSearchFailed, "no slice " + urn + " at this aggregate");
      }
      if (!target.slice_urn.empty() && target.slice_urn != slice_urn) {
        throw GeniError(GeniCode::kBadArgs, "the URNs name slivers of two slices (" + target.slice_urn + ", " +
                                                slice_urn + "); one call works on one slice");
      }
      target.slice_urn = slice_urn;
    }
    if (std::find(urns.begin(), urns.end(), target.slice_urn) != urns.end()) target.sliver_urns.clear();
    return target;
  });
}

void Aggregate::check_not_shut_down(const std::string& slice_urn) const {
  const auto slice = read([&](store::Transaction& tx) { return slice_store::find_slice(tx, slice_urn); });
  if (slice && slice->shutdown) {
    throw GeniError(GeniCode::kRefused, "slice " + slice_urn + " is shut down by an operator; contact the aggregate's operators");
  }
}

SliceView Aggregate::allocate(const std::string& slice_urn, const std::string& request_xml, Timestamp credential_expiry,
                              std::optional<Timestamp> end_time) {
  const rspec::RSpec request = rspec::parse_request(request_xml);
  const federation::TopologyRequest topology =
      topology_of(request, *inventory_->snapshot(), policy_.aggregate_urn);
  const Timestamp now = now_utc();
  if (end_time && *end_time <= now) {
    throw GeniError(GeniCode::kOutOfRange, "geni_end_time " + format_rfc3339(*end_time) + " is in the past");
  }
  const Timestamp end = std::min(end_time.value_or(credential_expiry), credential_expiry);
  const Timestamp expires = std::min(now + policy_.allocation_lifetime, end);
  const federation::MapOptions options{.objective = policy_.objective, .seed = std::hash<std::string>{}(slice_urn)};
  return write([&](store::Transaction& tx) {
      if (auto slice = slice_store::find_slice(tx, slice_urn); slice && slice->shutdown) {
        throw GeniError(GeniCode::kRefused, "slice " + slice_urn + " is shut down by an operator");
      }
      refuse_taken_client_ids(slice_store::slivers_of_slice(tx, slice_urn), topology);
      const federation::Usage usage = usage_of(slice_store::all_slivers(tx));
      const federation::Placement placement =
          federation::map_request_or_throw(inventory_now(tx), usage, topology, options);
      slice_store::upsert_slice(tx, slice_urn, credential_expiry, now);
      auto slivers = slivers_for(placement, policy_, slice_urn, now, end, expires);
      for (const SliverRecord& sliver : slivers) {
        slice_store::insert_sliver(tx, sliver, now);
        slice_store::record_event(tx, now, slice_urn, sliver.urn, "allocated",
                                  sliver.client_id + " " + (sliver.node ? sliver.node->host_urn : "link"));
      }
      slice_store::save_request(tx, slice_urn, request_xml, now);
      return view(tx, slice_urn, std::move(slivers));
    });
}

SliceView Aggregate::provision(const Target& target, Timestamp credential_expiry, const ProvisionOptions& options) {
  const Timestamp now = now_utc();
  Timestamp expires = std::min(credential_expiry, now + policy_.max_lease);
  if (options.end_time) {
    if (*options.end_time <= now) throw GeniError(GeniCode::kOutOfRange, "geni_end_time is in the past");
    expires = std::min(expires, *options.end_time);
  }
  auto provisioned = write([&](store::Transaction& tx) {
    std::vector<SliverRecord> changed;
    for (SliverRecord& sliver : target_slivers(tx, target)) {
      if (sliver.states.allocation != AllocationState::kAllocated) continue;
      sliver.states = kAfterProvision;
      sliver.progress = "queued for the backend";
      sliver.expires = expires;
      sliver.end_time = std::max(sliver.end_time, expires);
      slice_store::update_sliver(tx, sliver);
      slice_store::record_event(tx, now, sliver.slice_urn, sliver.urn, "provisioned", "until " + format_rfc3339(expires));
      changed.push_back(std::move(sliver));
    }
    if (changed.empty()) {
      throw GeniError(GeniCode::kUnavailable, "nothing to provision: no sliver named is in geni_allocated");
    }
    slice_store::save_users(tx, target.slice_urn, options.users);
    return view(tx, target.slice_urn, std::move(changed));
  });
  backend_changed();
  return provisioned;
}

void require_snapshot(store::Transaction& tx, const std::string& slice_urn, const std::string& id) {
  if (id.empty()) throw GeniError(GeniCode::kBadArgs, "federa_restore needs the option federa_snapshot_id");
  const auto snapshot = snapshot::snapshot_store::find(tx, id);
  if (!snapshot || snapshot->slice_urn != slice_urn) {
    throw GeniError(GeniCode::kSearchFailed, "slice " + slice_urn + " has no snapshot '" + id +
                                                 "' (Describe lists its snapshots)");
  }
}

std::vector<ActionOutcome> Aggregate::perform(const Target& target, const std::string& action, bool best_effort,
                                              const std::string& argument) {
  if (action == "federa_migrate" && !argument.empty() && !inventory_->snapshot()->find_host(argument)) {
    throw GeniError(GeniCode::kSearchFailed, "federa_destination " + argument + " is not a host of this aggregate");
  }
  if (action == "federa_snapshot" && !argument.empty() && !snapshot::snapshot_mode(argument)) {
    throw GeniError(GeniCode::kBadArgs, "federa_snapshot_mode '" + argument + "' is neither live nor stop-the-world");
  }
  if (!is_known_action(action)) {
    std::string known;
    for (const ActionRule& rule : action_rules()) known += (known.empty() ? "" : ", ") + std::string(rule.action);
    throw GeniError(GeniCode::kUnsupported, "unsupported operational action '" + action + "' (supported: " + known + ")");
  }
  const Timestamp now = now_utc();
  auto outcomes = write([&](store::Transaction& tx) {
    if (action == "federa_restore") require_snapshot(tx, target.slice_urn, argument);
    std::vector<ActionOutcome> outcomes;
    for (SliverRecord& sliver : target_slivers(tx, target)) {
      if (action == "federa_migrate" && sliver.kind == SliverKind::kLink) {
        outcomes.push_back({std::move(sliver), ""});  // links follow their nodes
        continue;
      }
      const auto rule = sliver.states.allocation == AllocationState::kProvisioned
                            ? find_action(action, sliver.states.operational)
                            : std::nullopt;
      if (!rule) {
        const std::string why = action + " is not possible in " + std::string(to_string(sliver.states.allocation)) +
                                "/" + std::string(to_string(sliver.states.operational));
        if (!best_effort) throw GeniError(GeniCode::kUnsupported, "sliver " + sliver.urn + ": " + why);
        outcomes.push_back({std::move(sliver), why});
        continue;
      }
      if (rule->during != rule->from) {
        sliver.pending = pending_work(*rule, argument);
        sliver.states.operational = rule->during;
        sliver.error.clear();
        slice_store::update_sliver(tx, sliver);
        slice_store::record_event(tx, now, sliver.slice_urn, sliver.urn, action, std::string(to_string(rule->during)));
      }
      outcomes.push_back({std::move(sliver), ""});
    }
    return outcomes;
  });
  backend_changed();
  return outcomes;
}

std::vector<SliverRecord> Aggregate::renew(const Target& target, Timestamp requested, Timestamp credential_expiry,
                                           bool extend_alap) {
  const Timestamp now = now_utc();
  if (requested <= now) {
    throw GeniError(GeniCode::kOutOfRange, "requested expiration " + format_rfc3339(requested) + " is in the past");
  }
  const Timestamp limit = std::min(credential_expiry, now + policy_.max_lease);
  if (requested > limit && !extend_alap) {
    throw GeniError(GeniCode::kOutOfRange,
                    "requested expiration " + format_rfc3339(requested) + " is past what is allowed (" +
                        format_rfc3339(limit) + ": the earlier of the slice credential's expiry and the " +
                        std::to_string(policy_.max_lease.count() / 3600) + " h lease limit); ask for less or use geni_extend_alap");
  }
  const Timestamp granted = std::min(requested, limit);
  return write([&](store::Transaction& tx) {
    auto slivers = target_slivers(tx, target);
    for (SliverRecord& sliver : slivers) {
      sliver.expires = granted;
      sliver.end_time = std::max(sliver.end_time, granted);
      slice_store::update_sliver(tx, sliver);
      slice_store::record_event(tx, now, sliver.slice_urn, sliver.urn, "renewed", describe_span(now, granted));
    }
    slice_store::upsert_slice(tx, target.slice_urn, credential_expiry, now);
    return slivers;
  });
}

std::vector<SliverRecord> Aggregate::remove(const Target& target) {
  const Timestamp now = now_utc();
  auto removed = write([&](store::Transaction& tx) {
    auto slivers = target_slivers(tx, target);
    for (SliverRecord& sliver : slivers) {
      slice_store::delete_sliver(tx, sliver.urn);
      slice_store::record_event(tx, now, sliver.slice_urn, sliver.urn, "deleted", "");
      sliver.states = kAfterDelete;
    }
    slice_store::forget_requests_if_empty(tx, target.slice_urn);
    return slivers;
  });
  backend_changed();
  return removed;
}

SliceView Aggregate::describe(const Target& target) const {
  return read([&](store::Transaction& tx) { return view(tx, target.slice_urn, target_slivers(tx, target)); });
}

std::vector<SliverRecord> Aggregate::status(const Target& target) const {
  return read([&](store::Transaction& tx) { return target_slivers(tx, target); });
}

void Aggregate::set_users(const std::string& slice_urn, const std::vector<SliceUser>& users) {
  write([&](store::Transaction& tx) { slice_store::save_users(tx, slice_urn, users); });
  backend_changed();
}

void Aggregate::shutdown(const std::string& slice_urn) {
  const Timestamp now = now_utc();
  write([&](store::Transaction& tx) {
    if (!slice_store::find_slice(tx, slice_urn)) {
      throw GeniError(GeniCode::kSearchFailed, "no slice " + slice_urn + " at this aggregate");
    }
    slice_store::set_shutdown(tx, slice_urn, true, now);
    for (SliverRecord& sliver : slice_store::slivers_of_slice(tx, slice_urn)) {
      if (sliver.states.allocation == AllocationState::kProvisioned) sliver.states.operational = OperationalState::kNotReady;
      slice_store::update_sliver(tx, sliver);
    }
    slice_store::record_event(tx, now, slice_urn, "", "shutdown", "nodes paused, links cut, disks kept");
  });
  backend_changed();
  logger("am")->warn("event=slice_shutdown slice={}", slice_urn);
}

void Aggregate::clear_shutdown(const std::string& slice_urn) {
  const Timestamp now = now_utc();
  write([&](store::Transaction& tx) {
    if (!slice_store::find_slice(tx, slice_urn)) throw GeniError(GeniCode::kSearchFailed, "no slice " + slice_urn);
    slice_store::set_shutdown(tx, slice_urn, false, now);
    for (SliverRecord& sliver : slice_store::slivers_of_slice(tx, slice_urn)) {
      if (sliver.states.allocation != AllocationState::kProvisioned) continue;
      sliver.states.operational = OperationalState::kConfiguring;  // the worker resumes them
      slice_store::update_sliver(tx, sliver);
    }
    slice_store::record_event(tx, now, slice_urn, "", "shutdown_cleared", "");
  });
  backend_changed();
}

std::vector<SliceRecord> Aggregate::slices(bool shutdown_only) const {
  return read([&](store::Transaction& tx) { return slice_store::slices(tx, shutdown_only); });
}

std::size_t Aggregate::reap_expired() {
  const Timestamp now = now_utc();
  const auto reaped = write([&](store::Transaction& tx) {
    auto expired = slice_store::slivers_expired(tx, now);
    for (const SliverRecord& sliver : expired) {
      slice_store::delete_sliver(tx, sliver.urn);
      slice_store::record_event(tx, now, sliver.slice_urn, sliver.urn, "expired", format_rfc3339(sliver.expires));
    }
    for (const SliverRecord& sliver : expired) slice_store::forget_requests_if_empty(tx, sliver.slice_urn);
    return expired;
  });
  if (!reaped.empty()) backend_changed();
  for (const SliverRecord& sliver : reaped) {
    logger("am")->info("event=sliver_expired sliver={} slice={} expires={}", sliver.urn, sliver.slice_urn,
                       format_rfc3339(sliver.expires));
  }
  return reaped.size();
}

std::vector<SliverRecord> Aggregate::target_slivers(store::Transaction& tx, const Target& target) const {
  auto slivers = slice_store::slivers_of_slice(tx, target.slice_urn);
  if (target.sliver_urns.empty()) return slivers;
  std::erase_if(slivers, [&](const SliverRecord& sliver) {
    return std::find(target.sliver_urns.begin(), target.sliver_urns.end(), sliver.urn) == target.sliver_urns.end();
  });
  return slivers;
}

// The manifest covers exactly the slivers the call concerns (AM API v3: Allocate's and
// Provision's answers the new slivers, Describe the slivers named).
SliceView Aggregate::view(store::Transaction& tx, const std::string& slice_urn, std::vector<SliverRecord> slivers) const {
  std::vector<rspec::RSpec> parsed;
  for (const std::string& request : slice_store::requests_of(tx, slice_urn)) parsed.push_back(rspec::parse_request(request));
  const auto users = slice_store::users_of(tx, slice_urn);
  rspec::RSpec model = manifest_of(parsed, slivers, users, planned_ports(tx, slice_urn, parsed, users));
  if (auto snapshots = snapshots_extension(snapshot::snapshot_store::list(tx, slice_urn))) {
    model.extensions.push_back(std::move(*snapshots));
  }
  const std::string manifest = rspec::write_manifest(model);
  return {slice_urn, manifest, std::move(slivers)};
}

// The ports the backends give the slice's provisioned nodes (MACs, addresses for the manifest).
std::map<std::string, std::vector<PlannedPort>> Aggregate::planned_ports(store::Transaction& tx,
                                                                         const std::string& slice_urn,
                                                                         const std::vector<rspec::RSpec>& requests,
                                                                         const std::vector<SliceUser>& users) const {
  auto provisioned = slice_store::slivers_of_slice(tx, slice_urn);
  std::erase_if(provisioned, [](const SliverRecord& s) { return s.states.allocation != AllocationState::kProvisioned; });
  try {
    return plan_slice({slice_urn, provisioned, requests, users, *inventory_->snapshot(), ""}).ports;
  } catch (const GeniError&) {
    return {};  // a host left the inventory: the manifest goes without ports
  }
}

}  // namespace federa::am
