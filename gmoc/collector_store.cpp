#include "gmoc/collector_store.h"

#include <algorithm>
#include <map>
#include <set>

namespace federa::gmoc {
namespace {

using nlohmann::json;

std::int64_t micros_of(Timestamp time) { return time.time_since_epoch().count(); }

std::string kind_name(SliverKind kind) { return kind == SliverKind::kNode ? "node" : "link"; }

void insert_slice(store::Transaction& tx, const std::string& id, const Slice& slice) {
  tx.exec("INSERT INTO slices (aggregate_id, urn, expires, shutdown, users) VALUES ($1, $2, $3, $4, $5) "
          "ON CONFLICT (aggregate_id, urn) DO NOTHING",
          id, slice.urn, micros_of(slice.expires), slice.shutdown, json(slice.users).dump());
}

// A new sliver, or a known one's new expiry (renewed).
void upsert_sliver(store::Transaction& tx, const std::string& id, const Sliver& sliver) {
  tx.exec("INSERT INTO slivers (aggregate_id, urn, slice_urn, client_id, kind, allocation_state, "
          "operational_state, created, expires, resource) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
          "ON CONFLICT (aggregate_id, urn) DO UPDATE SET expires = excluded.expires",
          id, sliver.urn, sliver.slice_urn, sliver.client_id, kind_name(sliver.kind), sliver.allocation_state,
          sliver.operational_state, micros_of(sliver.created), micros_of(sliver.expires), sliver.resource);
}

void replace_state(store::Transaction& tx, const std::string& id, const PushReport& report) {
  tx.exec("DELETE FROM slices WHERE aggregate_id = $1", id);
  for (const Slice& slice : report.slices) insert_slice(tx, id, slice);
  tx.exec("DELETE FROM slivers WHERE aggregate_id = $1", id);
  for (const Sliver& sliver : report.slivers) upsert_sliver(tx, id, sliver);
}

void insert_samples(store::Transaction& tx, const std::string& id, const std::vector<Sample>& samples) {
  for (const Sample& sample : samples) {
    tx.exec("INSERT INTO samples (aggregate_id, object_type, object_id, metric, at_us, value) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            id, sample.object_type, sample.object_id, sample.metric, micros_of(sample.at), sample.value);
  }
}

void append_history(store::Transaction& tx, const std::string& id, const PushReport& report) {
  for (const Event& event : report.events) {
    tx.exec("INSERT INTO events (aggregate_id, event_id, at, slice_urn, sliver_urn, kind, detail) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            id, event.id, micros_of(event.at), event.slice_urn, event.sliver_urn, event.kind, event.detail);
  }
  insert_samples(tx, id, report.samples);
}

// The slices of the polled slivers, each expiring with its last sliver.
std::vector<Slice> slices_of(const std::vector<Sliver>& slivers) {
  std::map<std::string, Timestamp> expires;
  for (const Sliver& sliver : slivers) {
    auto [it, fresh] = expires.try_emplace(sliver.slice_urn, sliver.expires);
    if (!fresh) it->second = std::max(it->second, sliver.expires);
  }
  std::vector<Slice> slices;
  for (const auto& [urn, until] : expires) slices.push_back({urn, until, false, {}});
  return slices;
}

// For an aggregate that never pushed the poll's view is all there is: what it no longer lists is
// gone, and its topology is the poll's.
void replace_with_poll(store::Transaction& tx, const PollResult& poll) {
  std::set<std::string> listed;
  for (const Sliver& sliver : poll.slivers) listed.insert(sliver.urn);
  for (const auto& row : tx.query("SELECT urn FROM slivers WHERE aggregate_id = $1", poll.aggregate_id)) {
    if (!listed.contains(row.get<std::string>(0))) {
      tx.exec("DELETE FROM slivers WHERE aggregate_id = $1 AND urn = $2", poll.aggregate_id, row.get<std::string>(0));
    }
  }
  tx.exec("DELETE FROM slices WHERE aggregate_id = $1 AND NOT EXISTS (SELECT 1 FROM slivers v WHERE "
          "v.aggregate_id = slices.aggregate_id AND v.slice_urn = slices.urn)",
          poll.aggregate_id);
  tx.exec("UPDATE aggregates SET topology = $2 WHERE id = $1", poll.aggregate_id, topology_json(poll.topology).dump());
}

AggregateEndpoint endpoint_row(const store::Row& row) {
  return {row.get<std::string>(0), row.get<std::string>(1), row.get<std::string>(2)};
}

json sliver_row(const store::Row& row) {
  return {{"aggregate", row.get<std::string>("aggregate_id")},
          {"urn", row.get<std::string>("urn")},
          {"slice_urn", row.get<std::string>("slice_urn")},
          {"client_id", row.get<std::string>("client_id")},
          {"kind", row.get<std::string>("kind")},
          {"allocation_state", row.get<std::string>("allocation_state")},
          {"operational_state", row.get<std::string>("operational_state")},
          {"expires", row.get<std::int64_t>("expires")},
          {"resource", row.get<std::string>("resource")}};
}

}  // namespace

ReceiveOutcome CollectorStore::receive(const PushReport& report, Timestamp now) {
  ReceiveOutcome outcome{report.aggregate.id, report.seq, false};
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("INSERT INTO aggregates (id) VALUES ($1) ON CONFLICT DO NOTHING", outcome.aggregate_id);
    const auto last = tx.query_one("SELECT last_seq FROM aggregates WHERE id = $1", outcome.aggregate_id);
    outcome.applied = outcome.seq > last->get<std::int64_t>(0);
    if (!outcome.applied) return;
    const auto arrival = tx.query_one("SELECT COALESCE(MAX(arrival), 0) + 1 FROM reports");
    tx.exec("INSERT INTO reports (aggregate_id, seq, arrival, received_at, report_time) VALUES ($1, $2, $3, $4, $5)",
            outcome.aggregate_id, outcome.seq, arrival->get<std::int64_t>(0), micros_of(now), micros_of(report.time));
    tx.exec("UPDATE aggregates SET urn = $2, am_url = $3, organization = $4, last_seq = $5, last_report_at = $6, "
            "topology = $7 WHERE id = $1",
            outcome.aggregate_id, report.aggregate.urn, report.aggregate.am_url, report.aggregate.organization.name,
            outcome.seq, micros_of(now), topology_json(report.topology).dump());
    replace_state(tx, outcome.aggregate_id, report);
    append_history(tx, outcome.aggregate_id, report);
  });
  return outcome;
}

void CollectorStore::apply_poll(const PollResult& poll, Timestamp now) {
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("INSERT INTO aggregates (id) VALUES ($1) ON CONFLICT DO NOTHING", poll.aggregate_id);
    const auto last = tx.query_one("SELECT last_seq FROM aggregates WHERE id = $1", poll.aggregate_id);
    if (last->get<std::int64_t>(0) == 0) replace_with_poll(tx, poll);
    for (const Slice& slice : slices_of(poll.slivers)) insert_slice(tx, poll.aggregate_id, slice);
    for (const Sliver& sliver : poll.slivers) upsert_sliver(tx, poll.aggregate_id, sliver);
    insert_samples(tx, poll.aggregate_id, poll.samples);
    tx.exec("UPDATE aggregates SET urn = $2, last_poll_at = $3, poll_until = $4 WHERE id = $1", poll.aggregate_id,
            poll.urn, micros_of(now), micros_of(poll.until));
  });
}

std::optional<Timestamp> CollectorStore::polled_until(const std::string& id) {
  const auto until = store_.read([&](store::Transaction& tx) {
    const auto row = tx.query_one("SELECT poll_until FROM aggregates WHERE id = $1", id);
    return row ? row->get<std::optional<std::int64_t>>(0) : std::nullopt;
  });
  if (!until) return std::nullopt;
  return Timestamp(std::chrono::microseconds(*until));
}

void CollectorStore::add_aggregate(const AggregateEndpoint& aggregate) {
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("INSERT INTO aggregates (id, am_url, datastore_url) VALUES ($1, $2, $3) "
            "ON CONFLICT (id) DO UPDATE SET am_url = $2, datastore_url = $3",
            aggregate.id, aggregate.am_url, aggregate.datastore_url);
  });
}

void CollectorStore::record_health(const std::string& id, const std::string& health, const std::string& detail,
                                   Timestamp now) {
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("UPDATE aggregates SET health = $2, health_detail = $3, health_at = $4 WHERE id = $1", id, health, detail,
            micros_of(now));
  });
}

void CollectorStore::audit(const std::string& operator_name, const std::string& action, const std::string& target,
                           const json& result, Timestamp now) {
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("INSERT INTO audit (at, operator, action, target, result) VALUES ($1, $2, $3, $4, $5)", micros_of(now),
            operator_name, action, target, result.dump());
  });
}

std::vector<AggregateEndpoint> CollectorStore::aggregates_list() {
  return store_.read([](store::Transaction& tx) {
    std::vector<AggregateEndpoint> list;
    for (const auto& row : tx.query("SELECT id, am_url, datastore_url FROM aggregates ORDER BY id")) {
      list.push_back(endpoint_row(row));
    }
    return list;
  });
}

std::vector<AggregateEndpoint> CollectorStore::aggregates_holding(const std::string& slice_urn) {
  return store_.read([&](store::Transaction& tx) {
    std::vector<AggregateEndpoint> list;
    for (const auto& row : tx.query("SELECT a.id, a.am_url, a.datastore_url FROM aggregates a JOIN slices s ON "
                                    "s.aggregate_id = a.id WHERE s.urn = $1 ORDER BY a.id",
                                    slice_urn)) {
      list.push_back(endpoint_row(row));
    }
    return list;
  });
}

json CollectorStore::aggregates() {
  return store_.read([](store::Transaction& tx) {
    json list = json::array();
    for (const auto& row : tx.query(
             "SELECT id, urn, am_url, organization, last_seq, last_report_at, health, health_detail, health_at, topology, "
             "(SELECT COUNT(*) FROM slivers v WHERE v.aggregate_id = a.id), "
             "(SELECT COUNT(*) FROM slices s WHERE s.aggregate_id = a.id), datastore_url, last_poll_at "
             "FROM aggregates a ORDER BY id")) {
      list.push_back({{"id", row.get<std::string>(0)},
                      {"urn", row.get<std::string>(1)},
                      {"am_url", row.get<std::string>(2)},
                      {"organization", row.get<std::string>(3)},
                      {"last_seq", row.get<std::int64_t>(4)},
                      {"last_report_at", row.get<std::optional<std::int64_t>>(5).value_or(0)},
                      {"health", row.get<std::string>(6)},
                      {"health_detail", row.get<std::string>(7)},
                      {"health_at", row.get<std::optional<std::int64_t>>(8).value_or(0)},
                      {"topology", json::parse(row.get<std::string>(9))},
                      {"slivers", row.get<std::int64_t>(10)},
                      {"slices", row.get<std::int64_t>(11)},
                      {"datastore_url", row.get<std::string>(12)},
                      {"last_poll_at", row.get<std::optional<std::int64_t>>(13).value_or(0)}});
    }
    return list;
  });
}

json CollectorStore::slices() {
  return store_.read([](store::Transaction& tx) {
    std::map<std::string, std::map<std::string, json>> by_slice;  // slice -> aggregate -> entry
    for (const auto& row : tx.query("SELECT aggregate_id, urn, shutdown, expires FROM slices ORDER BY urn, aggregate_id")) {
      by_slice[row.get<std::string>(1)][row.get<std::string>(0)] = {
          {"id", row.get<std::string>(0)}, {"shutdown", row.get<bool>(2)}, {"expires", row.get<std::int64_t>(3)},
          {"slivers", json::array()}};
    }
    for (const auto& row : tx.query("SELECT * FROM slivers ORDER BY slice_urn, aggregate_id, client_id")) {
      auto slice = by_slice.find(row.get<std::string>("slice_urn"));
      if (slice == by_slice.end()) continue;
      auto aggregate = slice->second.find(row.get<std::string>("aggregate_id"));
      if (aggregate != slice->second.end()) aggregate->second["slivers"].push_back(sliver_row(row));
    }
    json list = json::array();
    for (auto& [urn, aggregates] : by_slice) {
      json entry{{"urn", urn}, {"aggregates", json::array()}};
      for (auto& [id, aggregate] : aggregates) entry["aggregates"].push_back(std::move(aggregate));
      list.push_back(std::move(entry));
    }
    return list;
  });
}

json CollectorStore::events(std::size_t limit) {
  return store_.read([&](store::Transaction& tx) {
    json list = json::array();
    for (const auto& row : tx.query("SELECT aggregate_id, event_id, at, slice_urn, sliver_urn, kind, detail FROM events "
                                    "ORDER BY at DESC, aggregate_id, event_id DESC LIMIT $1",
                                    static_cast<std::int64_t>(limit))) {
      list.push_back({{"aggregate", row.get<std::string>(0)}, {"id", row.get<std::int64_t>(1)},
                      {"at", row.get<std::int64_t>(2)}, {"slice_urn", row.get<std::string>(3)},
                      {"sliver_urn", row.get<std::string>(4)}, {"kind", row.get<std::string>(5)},
                      {"detail", row.get<std::string>(6)}});
    }
    return list;
  });
}

json CollectorStore::series(const std::string& aggregate_id, const std::string& object_id, const std::string& metric) {
  return store_.read([&](store::Transaction& tx) {
    json points = json::array();
    for (const auto& row : tx.query("SELECT at_us, value FROM samples WHERE aggregate_id = $1 AND object_id = $2 AND "
                                    "metric = $3 ORDER BY at_us DESC LIMIT 500",
                                    aggregate_id, object_id, metric)) {
      points.insert(points.begin(), json{{"ts", row.get<std::int64_t>(0)}, {"v", row.get<double>(1)}});
    }
    return points;
  });
}

json CollectorStore::reports(const std::string& aggregate_id) {
  return store_.read([&](store::Transaction& tx) {
    json list = json::array();
    for (const auto& row : tx.query("SELECT seq, received_at FROM reports WHERE aggregate_id = $1 ORDER BY arrival",
                                    aggregate_id)) {
      list.push_back({{"seq", row.get<std::int64_t>(0)}, {"received_at", row.get<std::int64_t>(1)}});
    }
    return list;
  });
}

json CollectorStore::audit_log(std::size_t limit) {
  return store_.read([&](store::Transaction& tx) {
    json list = json::array();
    for (const auto& row : tx.query("SELECT at, operator, action, target, result FROM audit ORDER BY id DESC LIMIT $1",
                                    static_cast<std::int64_t>(limit))) {
      list.push_back({{"at", row.get<std::int64_t>(0)}, {"operator", row.get<std::string>(1)},
                      {"action", row.get<std::string>(2)}, {"target", row.get<std::string>(3)},
                      {"result", json::parse(row.get<std::string>(4))}});
    }
    return list;
  });
}

}  // namespace federa::gmoc
