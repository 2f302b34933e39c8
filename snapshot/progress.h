// How long operations (snapshot, restore, migration) tell their caller where they are: the
// phase that starts and the fraction of the whole done, growing from 0 to 1. The AM shows the
// last call in Status; an empty function is allowed. Calls never overlap, even when the steps
// of a phase run at once (one per node): those report through PhaseSteps.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace federa::snapshot {

using Progress = std::function<void(std::string_view phase, double fraction)>;

inline void report(const Progress& progress, std::string_view phase, double fraction) {
  if (progress) progress(phase, fraction);
}

// A phase of `steps` steps that run on their own threads and take the whole from `from` to `to`:
// each finished step reports once, one report at a time, the fraction growing with each.
class PhaseSteps {
 public:
  PhaseSteps(const Progress& progress, std::string_view phase, double from, double to, std::size_t steps)
      : progress_(progress), phase_(phase), from_(from), to_(to), steps_(steps) {}

  void step_done() {
    std::lock_guard lock(mutex_);
    ++finished_;
    report(progress_, phase_, from_ + (to_ - from_) * static_cast<double>(finished_) / static_cast<double>(steps_));
  }

 private:
  const Progress progress_;
  const std::string phase_;
  const double from_;
  const double to_;
  const std::size_t steps_;
  std::mutex mutex_;
  std::size_t finished_ = 0;
};

}  // namespace federa::snapshot
