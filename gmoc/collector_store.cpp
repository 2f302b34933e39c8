#include "gmoc/collector_store.h"

#include <map>
#include <stdexcept>

namespace federa::gmoc {
namespace {

using nlohmann::json;

std::int64_t micros_of(Timestamp time) { return time.time_since_epoch().count(); }

// A field of a report that must be there, with the type asked for.
template <class T>
T field(const json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) {
    throw std::invalid_argument(std::string("the report lacks '") + name + "'");
  }
  try {
    return object.at(name).get<T>();
  } catch (const json::exception&) {
    throw std::invalid_argument(std::string("the report's '") + name + "' has the wrong type");
  }
}

void replace_state(store::Transaction& tx, const std::string& id, const json& report) {
  tx.exec("DELETE FROM slices WHERE aggregate_id = $1", id);
  for (const json& slice : field<json>(report, "slices")) {
    tx.exec("INSERT INTO slices (aggregate_id, urn, expires, shutdown, users) VALUES ($1, $2, $3, $4, $5)", id,
            field<std::string>(slice, "urn"), field<std::int64_t>(slice, "expires"), field<bool>(slice, "shutdown"),
            field<json>(slice, "users").dump());
  }
  tx.exec("DELETE FROM slivers WHERE aggregate_id = $1", id);
  for (const json& sliver : field<json>(report, "slivers")) {
    tx.exec("INSERT INTO slivers (aggregate_id, urn, slice_urn, client_id, kind, allocation_state, "
            "operational_state, created, expires, resource) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            id, field<std::string>(sliver, "urn"), field<std::string>(sliver, "slice_urn"),
            field<std::string>(sliver, "client_id"), field<std::string>(sliver, "kind"),
            field<std::string>(sliver, "allocation_state"), field<std::string>(sliver, "operational_state"),
            field<std::int64_t>(sliver, "created"), field<std::int64_t>(sliver, "expires"),
            field<std::string>(sliver, "resource"));
  }
}

void append_history(store::Transaction& tx, const std::string& id, const json& report) {
  for (const json& event : field<json>(report, "events")) {
    tx.exec("INSERT INTO events (aggregate_id, event_id, at, slice_urn, sliver_urn, kind, detail) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            id, field<std::int64_t>(event, "id"), field<std::int64_t>(event, "at"), field<std::string>(event, "slice_urn"),
            field<std::string>(event, "sliver_urn"), field<std::string>(event, "kind"), field<std::string>(event, "detail"));
  }
  for (const json& sample : field<json>(report, "samples")) {
    tx.exec("INSERT INTO samples (aggregate_id, object_type, object_id, metric, at_us, value) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            id, field<std::string>(sample, "object_type"), field<std::string>(sample, "object_id"),
            field<std::string>(sample, "metric"), field<std::int64_t>(sample, "ts"), field<double>(sample, "v"));
  }
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

ReceiveOutcome CollectorStore::receive(const json& report, Timestamp now) {
  const json aggregate = field<json>(report, "aggregate");
  ReceiveOutcome outcome{field<std::string>(aggregate, "id"), field<std::int64_t>(report, "seq"), false};
  if (outcome.aggregate_id.empty() || outcome.seq <= 0) throw std::invalid_argument("the report needs an aggregate id and seq >= 1");
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("INSERT INTO aggregates (id) VALUES ($1) ON CONFLICT DO NOTHING", outcome.aggregate_id);
    const auto last = tx.query_one("SELECT last_seq FROM aggregates WHERE id = $1", outcome.aggregate_id);
    outcome.applied = outcome.seq > last->get<std::int64_t>(0);
    if (!outcome.applied) return;
    const auto arrival = tx.query_one("SELECT COALESCE(MAX(arrival), 0) + 1 FROM reports");
    tx.exec("INSERT INTO reports (aggregate_id, seq, arrival, received_at, report_time) VALUES ($1, $2, $3, $4, $5)",
            outcome.aggregate_id, outcome.seq, arrival->get<std::int64_t>(0), micros_of(now),
            field<std::int64_t>(report, "time"));
    tx.exec("UPDATE aggregates SET urn = $2, am_url = $3, organization = $4, last_seq = $5, last_report_at = $6, "
            "topology = $7 WHERE id = $1",
            outcome.aggregate_id, field<std::string>(aggregate, "urn"), field<std::string>(aggregate, "am_url"),
            field<std::string>(aggregate, "organization"), outcome.seq, micros_of(now),
            field<json>(report, "topology").dump());
    replace_state(tx, outcome.aggregate_id, report);
    append_history(tx, outcome.aggregate_id, report);
  });
  return outcome;
}

void CollectorStore::add_aggregate(const std::string& id, const std::string& am_url) {
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("INSERT INTO aggregates (id, am_url) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET am_url = $2", id, am_url);
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
    for (const auto& row : tx.query("SELECT id, am_url FROM aggregates ORDER BY id")) {
      list.push_back({row.get<std::string>(0), row.get<std::string>(1)});
    }
    return list;
  });
}

std::vector<AggregateEndpoint> CollectorStore::aggregates_holding(const std::string& slice_urn) {
  return store_.read([&](store::Transaction& tx) {
    std::vector<AggregateEndpoint> list;
    for (const auto& row : tx.query("SELECT a.id, a.am_url FROM aggregates a JOIN slices s ON s.aggregate_id = a.id "
                                    "WHERE s.urn = $1 ORDER BY a.id",
                                    slice_urn)) {
      list.push_back({row.get<std::string>(0), row.get<std::string>(1)});
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
             "(SELECT COUNT(*) FROM slices s WHERE s.aggregate_id = a.id) FROM aggregates a ORDER BY id")) {
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
                      {"slices", row.get<std::int64_t>(11)}});
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
