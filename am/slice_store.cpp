#include "am/slice_store.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace federa::am::slice_store {
namespace {

using nlohmann::json;
using federation::Hop;
using federation::HopKind;

constexpr const char* kSliverColumns =
    "urn, slice_urn, client_id, kind, component_id, component_manager_id, allocation_state, "
    "operational_state, error, start_time, end_time, expires, placement, pending, progress, login";

Timestamp time_of(const std::string& text) {
  const auto time = parse_rfc3339(text);
  if (!time) throw std::runtime_error("corrupt time in the AM store: '" + text + "'");
  return *time;
}

json demand_json(const federation::NodeDemand& demand) {
  return {{"vcpus", demand.vcpus}, {"memory_mb", demand.memory_mb}, {"disk_gb", demand.disk_gb},
          {"exclusive", demand.exclusive}};
}

federation::NodeDemand demand_of(const json& j) {
  return {j.at("vcpus").get<int>(), j.at("memory_mb").get<std::int64_t>(), j.at("disk_gb").get<std::int64_t>(),
          j.at("exclusive").get<bool>()};
}

json hop_json(const Hop& hop) {
  json j{{"kind", static_cast<int>(hop.kind)}, {"urn", hop.urn}};
  if (hop.vlan_tag) j["tag"] = *hop.vlan_tag;
  return j;
}

Hop hop_of(const json& j) {
  Hop hop{static_cast<HopKind>(j.at("kind").get<int>()), j.at("urn").get<std::string>(), std::nullopt};
  if (j.contains("tag")) hop.vlan_tag = j.at("tag").get<int>();
  return hop;
}

std::string placement_json(const SliverRecord& sliver) {
  if (sliver.node) {
    return json{{"host", sliver.node->host_urn}, {"site", sliver.node->site_urn},
                {"demand", demand_json(sliver.node->demand)}}.dump();
  }
  const auto& link = *sliver.link;
  json hops = json::array();
  for (const Hop& hop : link.hops) hops.push_back(hop_json(hop));
  return json{{"node_a", link.node_a}, {"node_b", link.node_b}, {"host_a", link.host_a}, {"host_b", link.host_b},
              {"capacity_kbps", link.capacity_kbps}, {"latency_ms", link.latency_ms}, {"hops", hops}}.dump();
}

void read_placement(SliverRecord& sliver, const std::string& text) {
  const json j = json::parse(text);
  if (sliver.kind == SliverKind::kNode) {
    sliver.node = federation::NodePlacement{sliver.client_id, j.at("host").get<std::string>(),
                                            j.at("site").get<std::string>(), demand_of(j.at("demand"))};
    return;
  }
  federation::LinkPlacement link;
  link.client_id = sliver.client_id;
  link.node_a = j.at("node_a").get<std::string>();
  link.node_b = j.at("node_b").get<std::string>();
  link.host_a = j.at("host_a").get<std::string>();
  link.host_b = j.at("host_b").get<std::string>();
  link.capacity_kbps = j.at("capacity_kbps").get<std::int64_t>();
  link.latency_ms = j.at("latency_ms").get<double>();
  for (const auto& hop : j.at("hops")) link.hops.push_back(hop_of(hop));
  sliver.link = std::move(link);
}

SliverRecord sliver_of(const store::Row& row) {
  SliverRecord sliver;
  sliver.urn = row.get<std::string>(0);
  sliver.slice_urn = row.get<std::string>(1);
  sliver.client_id = row.get<std::string>(2);
  sliver.kind = row.get<std::string>(3) == "link" ? SliverKind::kLink : SliverKind::kNode;
  sliver.component_id = row.get<std::string>(4);
  sliver.component_manager_id = row.get<std::string>(5);
  const auto allocation = allocation_state_from(row.get<std::string>(6));
  const auto operational = operational_state_from(row.get<std::string>(7));
  if (!allocation || !operational) throw std::runtime_error("corrupt sliver state for " + sliver.urn);
  sliver.states = {*allocation, *operational};
  sliver.error = row.get<std::string>(8);
  sliver.start_time = time_of(row.get<std::string>(9));
  sliver.end_time = time_of(row.get<std::string>(10));
  sliver.expires = time_of(row.get<std::string>(11));
  read_placement(sliver, row.get<std::string>(12));
  sliver.pending = row.get<std::string>(13);
  sliver.progress = row.get<std::string>(14);
  sliver.login = row.get<std::string>(15);
  return sliver;
}

std::vector<SliverRecord> slivers_where(store::Transaction& tx, const std::string& where, const std::string& arg) {
  std::vector<SliverRecord> slivers;
  for (const auto& row : tx.query(std::string("SELECT ") + kSliverColumns + " FROM slivers " + where +
                                      " ORDER BY created_at, urn", arg)) {
    slivers.push_back(sliver_of(row));
  }
  return slivers;
}

// The scarce units a sliver holds exclusively; their primary key forbids double booking.
std::vector<std::string> reserved_units(const SliverRecord& sliver) {
  std::vector<std::string> units;
  if (sliver.node && sliver.node->demand.exclusive) units.push_back("host:" + sliver.node->host_urn);
  if (sliver.link) {
    for (const Hop& hop : sliver.link->hops) {
      if (hop.vlan_tag) units.push_back("vlan:" + hop.urn + ":" + std::to_string(*hop.vlan_tag));
    }
  }
  return units;
}

std::vector<std::string> keys_of(const std::string& text) { return json::parse(text).get<std::vector<std::string>>(); }

}  // namespace

std::optional<SliceRecord> find_slice(store::Transaction& tx, const std::string& urn) {
  const auto row = tx.query_one("SELECT urn, expires, shutdown FROM slices WHERE urn = $1", urn);
  if (!row) return std::nullopt;
  return SliceRecord{row->get<std::string>(0), time_of(row->get<std::string>(1)), row->get<bool>(2)};
}

void upsert_slice(store::Transaction& tx, const std::string& urn, Timestamp expires, Timestamp now) {
  const std::string when = format_rfc3339(expires);
  if (tx.exec("UPDATE slices SET expires = $2 WHERE urn = $1 AND expires < $2", urn, when) > 0) return;
  tx.exec("INSERT INTO slices (urn, expires, shutdown, created_at) VALUES ($1, $2, FALSE, $3) "
          "ON CONFLICT (urn) DO NOTHING",
          urn, when, format_rfc3339(now));
}

void set_shutdown(store::Transaction& tx, const std::string& urn, bool shutdown, Timestamp now) {
  tx.exec("UPDATE slices SET shutdown = $2, shutdown_at = $3 WHERE urn = $1", urn, shutdown,
          shutdown ? std::optional<std::string>(format_rfc3339(now)) : std::nullopt);
}

std::vector<SliceRecord> slices(store::Transaction& tx, bool shutdown_only) {
  std::vector<SliceRecord> result;
  for (const auto& row : tx.query("SELECT urn, expires, shutdown FROM slices WHERE shutdown OR NOT $1 ORDER BY urn",
                                  shutdown_only)) {
    result.push_back({row.get<std::string>(0), time_of(row.get<std::string>(1)), row.get<bool>(2)});
  }
  return result;
}

std::vector<SliverRecord> slivers_of_slice(store::Transaction& tx, const std::string& slice_urn) {
  return slivers_where(tx, "WHERE slice_urn = $1", slice_urn);
}

std::optional<SliverRecord> find_sliver(store::Transaction& tx, const std::string& urn) {
  auto found = slivers_where(tx, "WHERE urn = $1", urn);
  return found.empty() ? std::nullopt : std::optional<SliverRecord>(std::move(found.front()));
}

std::vector<SliverRecord> all_slivers(store::Transaction& tx) { return slivers_where(tx, "WHERE urn <> $1", ""); }

std::vector<SliverRecord> slivers_expired(store::Transaction& tx, Timestamp now) {
  return slivers_where(tx, "WHERE expires < $1", format_rfc3339(now));
}

void insert_sliver(store::Transaction& tx, const SliverRecord& sliver, Timestamp now) {
  tx.exec("INSERT INTO slivers (urn, slice_urn, client_id, kind, component_id, component_manager_id, "
          "allocation_state, operational_state, error, start_time, end_time, expires, placement, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
          sliver.urn, sliver.slice_urn, sliver.client_id, sliver.kind == SliverKind::kLink ? "link" : "node",
          sliver.component_id, sliver.component_manager_id, to_string(sliver.states.allocation),
          to_string(sliver.states.operational), sliver.error, format_rfc3339(sliver.start_time),
          format_rfc3339(sliver.end_time), format_rfc3339(sliver.expires), placement_json(sliver),
          format_rfc3339(now));
  for (const std::string& unit : reserved_units(sliver)) {
    tx.exec("INSERT INTO reservations (resource, sliver_urn) VALUES ($1, $2)", unit, sliver.urn);
  }
}

void update_sliver(store::Transaction& tx, const SliverRecord& sliver) {
  tx.exec("UPDATE slivers SET allocation_state = $2, operational_state = $3, error = $4, end_time = $5, "
          "expires = $6, pending = $7, progress = $8, login = $9 WHERE urn = $1",
          sliver.urn, to_string(sliver.states.allocation), to_string(sliver.states.operational), sliver.error,
          format_rfc3339(sliver.end_time), format_rfc3339(sliver.expires), sliver.pending, sliver.progress,
          sliver.login);
}

bool record_backend_state(store::Transaction& tx, const SliverRecord& before, const SliverRecord& after) {
  return tx.exec("UPDATE slivers SET operational_state = $3, error = $4, pending = $5, progress = $6, login = $7 "
                 "WHERE urn = $1 AND operational_state = $2 AND pending = $8",
                 after.urn, to_string(before.states.operational), to_string(after.states.operational), after.error,
                 after.pending, after.progress, after.login, before.pending) == 1;
}

void replace_placement(store::Transaction& tx, const SliverRecord& sliver) {
  tx.exec("DELETE FROM reservations WHERE sliver_urn = $1", sliver.urn);
  tx.exec("UPDATE slivers SET component_id = $2, component_manager_id = $3, placement = $4 WHERE urn = $1", sliver.urn,
          sliver.component_id, sliver.component_manager_id, placement_json(sliver));
  for (const std::string& unit : reserved_units(sliver)) {
    tx.exec("INSERT INTO reservations (resource, sliver_urn) VALUES ($1, $2)", unit, sliver.urn);
  }
}

void set_progress(store::Transaction& tx, const std::string& urn, const std::string& progress) {
  tx.exec("UPDATE slivers SET progress = $2 WHERE urn = $1", urn, progress);
}

void delete_sliver(store::Transaction& tx, const std::string& urn) {
  tx.exec("DELETE FROM reservations WHERE sliver_urn = $1", urn);
  tx.exec("DELETE FROM slivers WHERE urn = $1", urn);
}

void save_request(store::Transaction& tx, const std::string& slice_urn, const std::string& request, Timestamp now) {
  tx.exec("INSERT INTO slice_requests (slice_urn, request, created_at) VALUES ($1, $2, $3)", slice_urn, request,
          format_rfc3339(now));
}

std::vector<std::string> requests_of(store::Transaction& tx, const std::string& slice_urn) {
  std::vector<std::string> requests;
  for (const auto& row : tx.query("SELECT request FROM slice_requests WHERE slice_urn = $1 ORDER BY created_at",
                                  slice_urn)) {
    requests.push_back(row.get<std::string>(0));
  }
  return requests;
}

void forget_requests_if_empty(store::Transaction& tx, const std::string& slice_urn) {
  tx.exec("DELETE FROM slice_requests WHERE slice_urn = $1 AND NOT EXISTS (SELECT 1 FROM slivers WHERE slice_urn = $1)",
          slice_urn);
}

void save_users(store::Transaction& tx, const std::string& slice_urn, const std::vector<SliceUser>& users) {
  for (const SliceUser& user : users) {
    const std::string keys = json(user.keys).dump();
    if (tx.exec("UPDATE slice_users SET keys = $3 WHERE slice_urn = $1 AND user_urn = $2", slice_urn, user.urn,
                keys) == 0) {
      tx.exec("INSERT INTO slice_users (slice_urn, user_urn, keys) VALUES ($1, $2, $3)", slice_urn, user.urn, keys);
    }
  }
}

std::vector<SliceUser> users_of(store::Transaction& tx, const std::string& slice_urn) {
  std::vector<SliceUser> users;
  for (const auto& row : tx.query("SELECT user_urn, keys FROM slice_users WHERE slice_urn = $1 ORDER BY user_urn",
                                  slice_urn)) {
    users.push_back({row.get<std::string>(0), keys_of(row.get<std::string>(1))});
  }
  return users;
}

std::vector<std::string> drained_hosts(store::Transaction& tx) {
  std::vector<std::string> hosts;
  for (const auto& row : tx.query("SELECT host_urn FROM drained_hosts WHERE host_urn <> $1 ORDER BY host_urn", "")) {
    hosts.push_back(row.get<std::string>(0));
  }
  return hosts;
}

void set_drained(store::Transaction& tx, const std::string& host_urn, bool drained, Timestamp now) {
  if (drained) {
    tx.exec("INSERT INTO drained_hosts (host_urn, since) VALUES ($1, $2) ON CONFLICT (host_urn) DO NOTHING", host_urn,
            format_rfc3339(now));
  } else {
    tx.exec("DELETE FROM drained_hosts WHERE host_urn = $1", host_urn);
  }
}

void record_event(store::Transaction& tx, Timestamp at, const std::string& slice_urn, const std::string& sliver_urn,
                  const std::string& kind, const std::string& detail) {
  tx.exec("INSERT INTO events (at, slice_urn, sliver_urn, kind, detail) VALUES ($1, $2, $3, $4, $5)",
          format_rfc3339(at), slice_urn, sliver_urn, kind, detail);
}

}  // namespace federa::am::slice_store
