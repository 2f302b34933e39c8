// Test support: threads racing for scarce rows of a test-only schema, the way
// concurrent Allocates race for host slots and VLAN tags. Used by the concurrency tests both in
// one process and across processes (store_test_helper), and by bench/store_bench.
#pragma once

#include "store/store.h"

#include <string>

namespace federa::store {

// The test-only migration set those tables come from (store/testdata/schema, service "test").
MigrationSet race_migrations();

struct RaceTally {
  int won = 0;      // committed a reservation
  int refused = 0;  // cleanly refused: the row was held (ConflictError) or the pool was full
  int gave_up = 0;  // TransientError: still losing serialization races after every retry
};

// Each thread tries to hold every resource 0..resources-1 once, in its own shuffled order, with a
// plain INSERT INTO holds; a ConflictError counts as refused.
RaceTally race_for_holds(Store& store, int resources, int threads, const std::string& holder);

// Each thread makes `attempts` check-then-act transactions on pools row "slots": read used and
// capacity, refuse when full, else write used + 1 and record a ledger row (grp = a distinct id
// from id_base upwards, part 1). Only serializable transactions keep used == granted <= capacity.
RaceTally race_for_capacity(Store& store, int attempts, int threads, long id_base);

}  // namespace federa::store
