// Runs one step per node of a slice at once (snapshots, restores, migrations are each a long
// wait on a different QEMU) and waits for all of them before anything else happens.
#pragma once

#include <cstddef>
#include <functional>

namespace federa::snapshot {

// fn(i) for every i < count, each on its own thread; waits for all, then rethrows the first
// exception (by index) if any threw.
void for_each_parallel(std::size_t count, const std::function<void(std::size_t)>& fn);

}  // namespace federa::snapshot
