// A second process for the store's multi-process tests (not installed):
//   store_test_helper race-holds URI RESOURCES THREADS HOLDER   -> "won W refused R gave_up G"
//   store_test_helper race-capacity URI ATTEMPTS THREADS ID_BASE -> "won W refused R gave_up G"
//   store_test_helper hold URI    prints "inside" in the middle of a transaction, then waits
//   store_test_helper churn URI   commits two-row ledger groups forever; "committed" after the first
// Every command opens URI with the test migrations (so concurrent starts also race to migrate).
#include "store/errors.h"
#include "store/reservation_race.h"
#include "store/store.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

namespace federa::store {
namespace {

void say(const char* line) {
  std::fputs(line, stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void print(const RaceTally& tally) {
  std::cout << "won " << tally.won << " refused " << tally.refused << " gave_up " << tally.gave_up
            << std::endl;
}

[[noreturn]] void hold(Store& store) {
  store.transaction([](Transaction& tx) {
    tx.exec("INSERT INTO holds (resource, holder) VALUES (7, 'doomed')");
    tx.exec("INSERT INTO ledger (grp, part) VALUES (1, 1)");
    say("inside");
    for (;;) ::pause();
  });
  std::abort();
}

[[noreturn]] void churn(Store& store) {
  for (long group = 1;; ++group) {
    store.transaction([&](Transaction& tx) {
      tx.exec("INSERT INTO ledger (grp, part) VALUES ($1, 1)", group);
      tx.exec("INSERT INTO ledger (grp, part) VALUES ($1, 2)", group);
    });
    if (group == 1) say("committed");
  }
}

int run(int argc, char** argv) {
  const std::string command = argc > 2 ? argv[1] : "";
  auto store = argc > 2 ? open_store(argv[2], race_migrations()) : nullptr;
  if (command == "race-holds" && argc == 6) {
    print(race_for_holds(*store, std::stoi(argv[3]), std::stoi(argv[4]), argv[5]));
  } else if (command == "race-capacity" && argc == 6) {
    print(race_for_capacity(*store, std::stoi(argv[3]), std::stoi(argv[4]), std::stol(argv[5])));
  } else if (command == "hold" && argc == 3) {
    hold(*store);
  } else if (command == "churn" && argc == 3) {
    churn(*store);
  } else {
    std::cerr << "usage: see the comment at the top of store_test_helper.cpp\n";
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace federa::store

int main(int argc, char** argv) {
  try {
    return federa::store::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "store_test_helper: " << e.what() << "\n";
    return 1;
  }
}
