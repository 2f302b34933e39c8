#include "snapshot/snapshot_record.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace federa::snapshot {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "id, slice_urn, mode, state, created, directory, bytes, frames, duration_ms, interruption_ms, detail";

std::string detail_json(const SnapshotRecord& record) {
  json nodes = json::array(), channels = json::array();
  for (const auto& n : record.nodes) {
    nodes.push_back({{"node", n.node}, {"memory_file", n.memory_file}, {"bytes", n.bytes},
                     {"downtime_ms", n.downtime_ms}, {"snapshot_ms", n.snapshot_ms}, {"stopped_ms", n.stopped_ms}});
  }
  for (const auto& c : record.channels) {
    channels.push_back({{"node", c.node}, {"link_id", c.link_id}, {"device", c.device}, {"netns", c.netns},
                        {"bridge", c.bridge}, {"file", c.file}, {"frames", c.frames}, {"dropped", c.dropped},
                        {"at", c.at_receiver ? "receiver" : "sender"}});
  }
  return json{{"nodes", nodes}, {"channels", channels}}.dump();
}

void read_detail(SnapshotRecord& record, const std::string& text) {
  const json j = json::parse(text);
  for (const auto& n : j.at("nodes")) {
    record.nodes.push_back({n.at("node"), n.at("memory_file"), n.at("bytes"), n.at("downtime_ms"),
                            n.at("snapshot_ms"), n.value("stopped_ms", 0.0)});
  }
  for (const auto& c : j.at("channels")) {
    record.channels.push_back({c.at("node"), c.at("link_id"), c.at("device"), c.at("netns"), c.at("bridge"),
                               c.at("file"), c.at("frames"), c.at("dropped"), c.value("at", "") == "receiver"});
  }
}

SnapshotMode mode_of(const std::string& text) {
  if (const auto mode = snapshot_mode(text)) return *mode;
  throw std::runtime_error("unknown snapshot mode in the AM store: '" + text + "'");
}

SnapshotRecord record_of(const store::Row& row) {
  SnapshotRecord record;
  record.id = row.get<std::string>(0);
  record.slice_urn = row.get<std::string>(1);
  record.mode = mode_of(row.get<std::string>(2));
  record.state = row.get<std::string>(3);
  const auto created = parse_rfc3339(row.get<std::string>(4));
  if (!created) throw std::runtime_error("corrupt snapshot time in the AM store");
  record.created = *created;
  record.directory = row.get<std::string>(5);
  record.bytes = row.get<std::uint64_t>(6);
  record.frames = row.get<std::uint64_t>(7);
  record.duration_ms = row.get<double>(8);
  record.interruption_ms = row.get<double>(9);
  read_detail(record, row.get<std::string>(10));
  return record;
}

}  // namespace

std::optional<SnapshotMode> snapshot_mode(const std::string& text) {
  for (const SnapshotMode mode : {SnapshotMode::kStopTheWorld, SnapshotMode::kLive}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

std::string to_string(SnapshotMode mode) {
  switch (mode) {
    case SnapshotMode::kStopTheWorld: return "stop-the-world";
    case SnapshotMode::kLive: return "live";
  }
  return "unknown";
}

namespace snapshot_store {

void insert(store::Transaction& tx, const SnapshotRecord& r) {
  tx.exec(std::string("INSERT INTO snapshots (") + kColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          r.id, r.slice_urn, to_string(r.mode), r.state, format_rfc3339(r.created), r.directory,
          static_cast<std::int64_t>(r.bytes), static_cast<std::int64_t>(r.frames), r.duration_ms,
          r.interruption_ms, detail_json(r));
}

std::vector<SnapshotRecord> list(store::Transaction& tx, const std::string& slice_urn) {
  const std::string select = std::string("SELECT ") + kColumns + " FROM snapshots";
  const store::Result rows =
      slice_urn.empty() ? tx.query(select + " ORDER BY created DESC, id")
                        : tx.query(select + " WHERE slice_urn = $1 ORDER BY created DESC, id", slice_urn);
  std::vector<SnapshotRecord> records;
  for (const auto& row : rows) records.push_back(record_of(row));
  return records;
}

std::optional<SnapshotRecord> find(store::Transaction& tx, const std::string& id) {
  const auto row = tx.query_one(std::string("SELECT ") + kColumns + " FROM snapshots WHERE id = $1", id);
  if (!row) return std::nullopt;
  return record_of(*row);
}

bool erase(store::Transaction& tx, const std::string& id) {
  return tx.exec("DELETE FROM snapshots WHERE id = $1", id) > 0;
}

}  // namespace snapshot_store
}  // namespace federa::snapshot
