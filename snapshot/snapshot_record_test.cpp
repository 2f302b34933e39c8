#include "snapshot/snapshot_record.h"

#include "store/test_database.h"

#include <doctest/doctest.h>

using namespace federa;
using namespace federa::snapshot;

namespace {

SnapshotRecord sample(const std::string& id, const std::string& slice, int seconds) {
  SnapshotRecord r;
  r.id = id;
  r.slice_urn = slice;
  r.created = Timestamp(std::chrono::seconds(1'763'700'000 + seconds));
  r.directory = "/var/lib/federa/snapshots/" + id;
  r.bytes = 92'000'123;
  r.frames = 31;
  r.duration_ms = 312.5;
  r.interruption_ms = 250.25;
  r.nodes = {{"fd-0123456789-a", r.directory + "/a.mem", 92'000'000, 17, 181.5}};
  r.channels = {{"fd-0123456789-a", "link0", "fdt-0123456789", "site", "fdb-0123456789", r.directory + "/a.pcap", 31, 32}};
  return r;
}

}  // namespace

TEST_CASE("the snapshot catalog lists, describes and forgets snapshots per slice") {
  store::TestDatabase db;
  auto store = store::open_store(db.uri(), store::MigrationSet{FEDERA_SCHEMA_DIR, "am"});
  store->transaction([](store::Transaction& tx) {
    snapshot_store::insert(tx, sample("s1", "urn:one", 1));
    snapshot_store::insert(tx, sample("s2", "urn:one", 2));
    snapshot_store::insert(tx, sample("s3", "urn:two", 3));
  });
  store->read([](store::Transaction& tx) {
    const auto one = snapshot_store::list(tx, "urn:one");
    REQUIRE(one.size() == 2);
    CHECK(one[0].id == "s2");  // newest first
    CHECK(snapshot_store::list(tx).size() == 3);
    const auto s1 = snapshot_store::find(tx, "s1");
    REQUIRE(s1);
    const SnapshotRecord expected = sample("s1", "urn:one", 1);
    CHECK(s1->created == expected.created);
    CHECK(s1->bytes == expected.bytes);
    CHECK(s1->interruption_ms == expected.interruption_ms);
    CHECK(to_string(s1->mode) == "stop-the-world");
    CHECK(s1->state == "complete");
    REQUIRE(s1->nodes.size() == 1);
    CHECK(s1->nodes[0].memory_file == expected.nodes[0].memory_file);
    CHECK(s1->nodes[0].downtime_ms == 17);
    REQUIRE(s1->channels.size() == 1);
    CHECK(s1->channels[0].bridge == "fdb-0123456789");
    CHECK(s1->channels[0].dropped == 32);
    CHECK_FALSE(snapshot_store::find(tx, "nope"));
  });
  CHECK(store->transaction([](store::Transaction& tx) { return snapshot_store::erase(tx, "s1"); }));
  CHECK_FALSE(store->transaction([](store::Transaction& tx) { return snapshot_store::erase(tx, "s1"); }));
  store->read([](store::Transaction& tx) { CHECK(snapshot_store::list(tx, "urn:one").size() == 1); });
}
