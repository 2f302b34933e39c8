// Runs a piece of work every interval on its own thread until destroyed (the AM's reaper, the
// collector's health probes). A failure is logged as "event=<name>_failed" and the next round
// runs as usual; destruction wakes the thread at once and joins it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace federa {

class PeriodicTask {
 public:
  PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> work);

 private:
  std::jthread thread_;
};

}  // namespace federa
