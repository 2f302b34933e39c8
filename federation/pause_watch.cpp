#include "federation/pause_watch.h"

#include "common/geni_error.h"

#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#include <nlohmann/json.hpp>

#include <chrono>

namespace federa::federation {
namespace {

std::int64_t realtime_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A mark must leave the stopped QEMU a moment before the guest runs again: a frame sent towards
// it (LiveCut's probe) within a turn of QEMU's main loop before the resume may be read after it,
// and so be taken for one QEMU kept from before. One such mark came 0.3 ms before the resume.
constexpr std::int64_t kMarginUs = 2000;

}  // namespace

PauseWatch::PauseWatch(virConnectPtr conn, virDomainPtr domain, std::function<void()> at_pause)
    : at_pause_(std::move(at_pause)), conn_(conn) {
  worker_ = std::thread([this] { run(); });
  callback_ = virConnectDomainQemuMonitorEventRegister(conn, domain, nullptr, &PauseWatch::on_event, this, nullptr, 0);
  if (callback_ < 0) {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    changed_.notify_all();
    worker_.join();
    const char* why = virGetLastErrorMessage();
    throw GeniError(GeniCode::kServerError,
                    std::string("cannot watch the guest's pause point: ") + (why ? why : "unknown libvirt error"));
  }
}

PauseWatch::~PauseWatch() {
  virConnectDomainQemuMonitorEventDeregister(conn_, callback_);
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void PauseWatch::on_event(virConnectPtr, virDomainPtr, const char* event, long long seconds, unsigned int micros,
                          const char* details, void* opaque) {
  auto* self = static_cast<PauseWatch*>(opaque);
  const std::string name(event);
  const std::int64_t at = seconds * 1'000'000 + micros;
  {
    std::lock_guard lock(self->mutex_);
    if (name == "STOP" && self->stopped_us_ == 0) self->stopped_us_ = at;
    if (name == "RESUME" && self->stopped_us_ != 0 && self->resumed_us_ == 0) self->resumed_us_ = at;
    if (name == "MIGRATION" && self->stopped_us_ != 0 && self->copy_ended_us_ == 0 && details) {
      // (in libvirt's event thread: nothing may throw out of here)
      const nlohmann::json data = nlohmann::json::parse(details, nullptr, false);
      if (data.is_object() && data.contains("status") && data.at("status") == "completed") self->copy_ended_us_ = at;
    }
  }
  self->changed_.notify_all();
}

void PauseWatch::run() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return cancelled_ || stopped_us_ != 0; });
  if (cancelled_) return;
  lock.unlock();
  try {
    at_pause_();
  } catch (...) {
    failure_ = std::current_exception();
  }
  lock.lock();
  marked_ = true;
  marked_us_ = realtime_us();
  changed_.notify_all();
}

bool PauseWatch::marked_in_pause(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, wait, [this] { return stopped_us_ != 0 && marked_ && resumed_us_ != 0; });
  if (failure_) std::rethrow_exception(failure_);
  return marked_ && resumed_us_ != 0 && marked_us_ + kMarginUs < resumed_us_;
}

double PauseWatch::paused_ms() const {
  std::lock_guard lock(mutex_);
  return resumed_us_ > stopped_us_ && stopped_us_ != 0 ? static_cast<double>(resumed_us_ - stopped_us_) / 1000.0 : 0;
}

std::int64_t PauseWatch::stopped_us() const {
  std::lock_guard lock(mutex_);
  return stopped_us_;
}

std::int64_t PauseWatch::copy_ended_us() const {
  std::lock_guard lock(mutex_);
  return copy_ended_us_;
}

std::int64_t PauseWatch::resumed_us() const {
  std::lock_guard lock(mutex_);
  return resumed_us_;
}

}  // namespace federa::federation
