#include "common/periodic_task.h"

#include <condition_variable>
#include <mutex>

#include "common/log.h"

namespace federa {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> work)
    : thread_([name = std::move(name), interval, work = std::move(work)](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
          try {
            work();
          } catch (const std::exception& error) {
            logger(name)->error("event={}_failed error={}", name, log_value(error.what()));
          }
          std::unique_lock lock(mutex);
          wake.wait_for(lock, stop, interval, [] { return false; });
        }
      }) {}

}  // namespace federa
