#include "gmoc/history.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

namespace federa::gmoc {
namespace {

using Key = std::tuple<std::string, std::string, std::string, std::string>;  // sliver, kind, value, resource

Key key_of(const Binding& binding) {
  return {binding.sliver_urn, to_string(binding.kind), binding.value, binding.resource};
}

Timestamp time_of(const std::string& text) {
  const auto time = parse_rfc3339(text);
  if (!time) throw std::runtime_error("corrupt time in the operational history: '" + text + "'");
  return *time;
}

constexpr const char* kBindingColumns =
    "SELECT kind, value, resource, slice_urn, sliver_urn, users, from_at, until_at FROM ops_bindings ";

Binding binding_of(const store::Row& row) {
  Binding binding;
  binding.kind = binding_kind_from(row.get<std::string>(0)).value_or(BindingKind::kHost);
  binding.value = row.get<std::string>(1);
  binding.resource = row.get<std::string>(2);
  binding.slice_urn = row.get<std::string>(3);
  binding.sliver_urn = row.get<std::string>(4);
  binding.users = nlohmann::json::parse(row.get<std::string>(5)).get<std::vector<std::string>>();
  binding.from = time_of(row.get<std::string>(6));
  if (const auto until = row.get<std::optional<std::string>>(7)) binding.until = time_of(*until);
  return binding;
}

std::vector<Binding> bindings_of(const store::Result& result) {
  std::vector<Binding> bindings;
  for (const auto& row : result) bindings.push_back(binding_of(row));
  return bindings;
}

bool wanted(const std::vector<std::string>& list, const std::string& item) {
  return list.empty() || std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

void History::refresh(const OperationalSource& source) {
  const std::vector<Binding> live = source.live_bindings();
  std::set<Key> live_keys;
  for (const Binding& binding : live) live_keys.insert(key_of(binding));
  const auto open = store_.read([](store::Transaction& tx) {
    return bindings_of(tx.query(std::string(kBindingColumns) + "WHERE until_at IS NULL"));
  });
  std::map<Key, std::vector<std::string>> open_users;
  for (const Binding& binding : open) open_users[key_of(binding)] = binding.users;
  std::vector<std::pair<Binding, Timestamp>> ended;
  for (const Binding& binding : open) {
    if (live_keys.contains(key_of(binding))) continue;
    // Only a recorded end closes a binding: a sliver made after `live` was read is not ended.
    if (const auto end = source.sliver_ended(binding.sliver_urn)) ended.emplace_back(binding, *end);
  }
  store_.transaction([&](store::Transaction& tx) {
    for (const Binding& binding : live) {
      tx.exec("INSERT INTO ops_bindings (kind, value, resource, slice_urn, sliver_urn, users, from_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
              to_string(binding.kind), binding.value, binding.resource, binding.slice_urn, binding.sliver_urn,
              nlohmann::json(binding.users).dump(), format_rfc3339(binding.from));
      const auto recorded = open_users.find(key_of(binding));
      if (recorded == open_users.end()) continue;
      // Users the slice gained while the unit was held (Provision, geni_update_users) are added.
      std::set<std::string> users(recorded->second.begin(), recorded->second.end());
      users.insert(binding.users.begin(), binding.users.end());
      if (users.size() == recorded->second.size()) continue;
      tx.exec("UPDATE ops_bindings SET users = $5 WHERE sliver_urn = $1 AND kind = $2 AND value = $3 AND resource = $4",
              binding.sliver_urn, to_string(binding.kind), binding.value, binding.resource,
              nlohmann::json(std::vector<std::string>(users.begin(), users.end())).dump());
    }
    for (const auto& [binding, end] : ended) {
      tx.exec("UPDATE ops_bindings SET until_at = $5 WHERE sliver_urn = $1 AND kind = $2 AND value = $3 "
              "AND resource = $4 AND until_at IS NULL",
              binding.sliver_urn, to_string(binding.kind), binding.value, binding.resource, format_rfc3339(end));
    }
  });
}

void History::record(const std::vector<Sample>& samples) {
  store_.transaction([&](store::Transaction& tx) {
    for (const Sample& sample : samples) {
      tx.exec("INSERT INTO ops_samples (object_type, object_id, metric, at_us, value) VALUES ($1, $2, $3, $4, $5) "
              "ON CONFLICT DO NOTHING",
              sample.object_type, sample.object_id, sample.metric,
              static_cast<std::int64_t>(sample.at.time_since_epoch().count()), sample.value);
    }
  });
}

void History::prune_samples(Timestamp before) {
  store_.transaction([&](store::Transaction& tx) {
    tx.exec("DELETE FROM ops_samples WHERE at_us < $1", static_cast<std::int64_t>(before.time_since_epoch().count()));
  });
}

std::vector<Binding> History::who_had(BindingKind kind, const std::string& value, Timestamp at) {
  const std::string when = format_rfc3339(at);
  return store_.read([&](store::Transaction& tx) {
    return bindings_of(tx.query(std::string(kBindingColumns) +
                                    "WHERE kind = $1 AND value = $2 AND from_at <= $3 AND "
                                    "(until_at IS NULL OR until_at > $3) ORDER BY from_at, sliver_urn",
                                to_string(kind), value, when));
  });
}

std::vector<Binding> History::bindings_between(Timestamp from, Timestamp to) {
  return store_.read([&](store::Transaction& tx) {
    return bindings_of(tx.query(std::string(kBindingColumns) +
                                    "WHERE from_at <= $2 AND (until_at IS NULL OR until_at >= $1) "
                                    "ORDER BY from_at, sliver_urn",
                                format_rfc3339(from), format_rfc3339(to)));
  });
}

std::vector<Sample> History::samples(const SampleQuery& query) {
  return store_.read([&](store::Transaction& tx) {
    std::vector<Sample> samples;
    for (const auto& row : tx.query("SELECT object_type, object_id, metric, at_us, value FROM ops_samples "
                                    "WHERE at_us >= $1 AND at_us <= $2 ORDER BY object_type, object_id, metric, at_us",
                                    static_cast<std::int64_t>(query.from.time_since_epoch().count()),
                                    static_cast<std::int64_t>(query.to.time_since_epoch().count()))) {
      Sample sample{row.get<std::string>(0), row.get<std::string>(1), row.get<std::string>(2),
                    Timestamp(std::chrono::microseconds(row.get<std::int64_t>(3))), row.get<double>(4)};
      if ((query.object_type.empty() || query.object_type == sample.object_type) &&
          wanted(query.object_ids, sample.object_id) && wanted(query.metrics, sample.metric)) {
        samples.push_back(std::move(sample));
      }
    }
    return samples;
  });
}

}  // namespace federa::gmoc
