#include "snapshot/progress.h"

#include "snapshot/parallel.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace federa::snapshot;

TEST_CASE("a phase's steps on their own threads report one at a time, the fraction growing to its end") {
  std::atomic<bool> inside{false};
  int overlaps = 0;
  std::vector<double> fractions;
  const Progress progress = [&](std::string_view phase, double fraction) {
    if (inside.exchange(true)) ++overlaps;
    CHECK(phase == "snapshot");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // wide enough for another call to land in
    fractions.push_back(fraction);
    inside = false;
  };
  PhaseSteps steps(progress, "snapshot", 0.2, 0.8, 8);
  for_each_parallel(8, [&](std::size_t) { steps.step_done(); });

  CHECK(overlaps == 0);
  REQUIRE(fractions.size() == 8);
  for (std::size_t i = 1; i < fractions.size(); ++i) CHECK(fractions[i] > fractions[i - 1]);
  CHECK(fractions.front() == doctest::Approx(0.2 + 0.6 / 8));
  CHECK(fractions.back() == doctest::Approx(0.8));
}

TEST_CASE("a phase reports nothing, and does not fail, when nobody listens") {
  PhaseSteps steps(Progress{}, "migrate", 0.0, 1.0, 2);
  CHECK_NOTHROW(steps.step_done());
  CHECK_NOTHROW(steps.step_done());
}
