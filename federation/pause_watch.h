// Catches a QEMU guest's snapshot point during a live memory snapshot, which QEMU takes on its
// own: the guest runs while memory is copied, stops for the last pass, and libvirt resumes it.
// A PauseWatch listens to the domain's QEMU monitor events (libvirt-qemu's event API, so the
// STOP and RESUME events come with QEMU's own timestamps); when STOP arrives it runs `at_pause`
// on its own thread, and marked_in_pause() tells whether at_pause had returned before QEMU's
// RESUME timestamp, i.e. while the guest was still stopped at the instant its image holds.
// Needs libvirt's event loop (init_libvirt starts it). Destroying the watch stops listening.
#pragma once

#include <libvirt/libvirt.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace federa::federation {

class PauseWatch {
 public:
  PauseWatch(virConnectPtr conn, virDomainPtr domain, std::function<void()> at_pause);
  ~PauseWatch();
  PauseWatch(const PauseWatch&) = delete;
  PauseWatch& operator=(const PauseWatch&) = delete;

  // Call after the snapshot returned: waits for at_pause (rethrowing what it threw) and for the
  // RESUME event (up to `wait`). False if the guest never stopped, RESUME never came, or
  // at_pause returned after it or less than 2 ms before it.
  bool marked_in_pause(std::chrono::milliseconds wait = std::chrono::seconds(5));
  // How long QEMU kept the guest stopped (RESUME - STOP timestamps), 0 if unknown.
  double paused_ms() const;
  // When QEMU stopped the guest, ended the copy (MIGRATION event, status "completed": QEMU's main
  // loop was held from before the stop until then) and resumed the guest: its stamps,
  // microseconds since the Unix epoch, 0 if unknown.
  std::int64_t stopped_us() const;
  std::int64_t copy_ended_us() const;
  std::int64_t resumed_us() const;

 private:
  static void on_event(virConnectPtr, virDomainPtr, const char* event, long long seconds, unsigned int micros,
                       const char* details, void* opaque);
  void run();

  std::function<void()> at_pause_;
  virConnectPtr conn_;
  int callback_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool cancelled_ = false, marked_ = false;
  std::int64_t stopped_us_ = 0, copy_ended_us_ = 0, resumed_us_ = 0, marked_us_ = 0;  // CLOCK_REALTIME, as QEMU stamps
  std::exception_ptr failure_;
  std::thread worker_;
};

}  // namespace federa::federation
