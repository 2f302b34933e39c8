// store_bench: committed transactions per second for a small transaction (one INSERT, one SELECT)
// with 1, 4 and 16 threads, on SQLite (a file in /tmp, WAL, synchronous=FULL) and on PostgreSQL
// (SERIALIZABLE), through the same Store API the services use.
//   store_bench [POSTGRESQL_URI] [SECONDS_PER_RUN]
// Without a URI it starts a private PostgreSQL with tests/pg/start.sh (in <build>/bench-postgresql,
// on the test port + 100) and stops it at the end.
#include "store/reservation_race.h"
#include "store/store.h"
#include "store/test_database.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace federa::store {
namespace {

constexpr int kThreadCounts[] = {1, 4, 16};

std::string run_script(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string output;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  if (::pclose(pipe) != 0) throw std::runtime_error(command + " failed");
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

const std::string kServerDir = std::string(FEDERA_BINARY_DIR) + "/bench-postgresql";

// Transactions per second over `seconds` with `threads` threads, each transaction inserting a
// ledger row under a fresh group id and reading it back.
double measure(Store& store, int threads, double seconds) {
  std::atomic<long> next_group{1};
  std::atomic<bool> stop{false};
  std::atomic<long> committed{0};
  std::vector<std::jthread> workers;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        const long group = next_group.fetch_add(1);
        store.transaction([&](Transaction& tx) {
          tx.exec("INSERT INTO ledger (grp, part) VALUES ($1, 1)", group);
          if (tx.query_one("SELECT COUNT(*) FROM ledger WHERE grp = $1", group)->get<int>(0) != 1) {
            throw std::logic_error("the row just inserted is missing");
          }
        });
        committed.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  workers.clear();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return static_cast<double>(committed.load()) / elapsed.count();
}

void bench(Dialect dialect, const std::string& postgresql_uri, double seconds) {
  for (int threads : kThreadCounts) {
    TestDatabase db(dialect, postgresql_uri);
    auto store = open_store(db.uri(), race_migrations(),
                            StoreOptions{.max_connections = 16});
    std::printf("%-11s %7d %12.0f\n", std::string(dialect_name(dialect)).c_str(), threads,
                measure(*store, threads, seconds));
    std::fflush(stdout);
  }
}

int run(int argc, char** argv) {
  std::string uri;
  const bool start_server = argc < 2;
  if (!start_server) {
    uri = argv[1];
  } else {
    uri = run_script(std::string(FEDERA_SOURCE_DIR) + "/tests/pg/start.sh " + kServerDir +
                            " " + std::to_string(FEDERA_BENCH_PG_PORT));
  }
  const double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;
  std::printf("store_bench: INSERT + SELECT per transaction, %.1f s per run\n", seconds);
  std::printf("%-11s %7s %12s\n", "backend", "threads", "tx/s");
  bench(Dialect::sqlite, "", seconds);
  bench(Dialect::postgresql, uri, seconds);
  if (start_server) {
    run_script(std::string(FEDERA_SOURCE_DIR) + "/tests/pg/stop.sh " + kServerDir);
  }
  return 0;
}

}  // namespace
}  // namespace federa::store

int main(int argc, char** argv) {
  try {
    return federa::store::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "store_bench: " << e.what() << "\n";
    return 1;
  }
}
