#include "gmoc/reporter.h"

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "gmoc/https_url.h"
#include "gmoc/report.h"
#include "rpc/https_client.h"

namespace federa::gmoc {
namespace {

using Clock = std::chrono::steady_clock;

// Runs one step of the loop, logging instead of stopping the thread when it fails.
template <class F>
void guarded(const char* what, F&& step) {
  try {
    step();
  } catch (const std::exception& error) {
    logger("gmoc")->error("event={}_failed error={}", what, log_value(error.what()));
  }
}

}  // namespace

Reporter::Reporter(const OperationalSource& source, History& history, ReporterOptions options)
    : source_(source), history_(history), options_(std::move(options)) {
  if (options_.push) {
    parse_https_url(options_.push->url);  // refuse a bad URL at start, not on the first push
    spool_.emplace(options_.push->spool_dir);
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

Reporter::~Reporter() {
  thread_.request_stop();
  wake_.notify_all();
}

void Reporter::nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void Reporter::record(Timestamp now) {
  history_.refresh(source_);
  history_.record(source_.samples(now));
  history_.prune_samples(now - options_.retention);
}

void Reporter::spool_report(Timestamp now) {
  ReportCursor cursor;
  if (const std::string state = spool_->load_state(); !state.empty()) {
    cursor = ReportCursor::from_json(nlohmann::json::parse(state));
  }
  nlohmann::json report = build_report(source_, history_, cursor, now);
  spool_->append([&](std::uint64_t seq) {
    report["seq"] = seq;
    return report.dump();
  });
  spool_->save_state(cursor.to_json().dump());
}

bool Reporter::send_spooled() {
  const PushOptions& push = *options_.push;
  const HttpsUrl url = parse_https_url(push.url);
  rpc::HttpsClient client(url.host, url.port, rpc::make_client_tls_context(push.tls), true);
  while (const auto report = spool_->oldest()) {
    try {
      const rpc::HttpReply reply = client.post(url.path + "/gmoc/push", report->body, "application/json");
      if (reply.status != 200) {
        logger("gmoc")->warn("event=push_refused seq={} status={} body={}", report->seq, reply.status,
                             log_value(reply.body.substr(0, 200)));
        return false;
      }
    } catch (const std::exception& error) {
      logger("gmoc")->info("event=push_deferred seq={} spooled={} error={}", report->seq, spool_->size(),
                           log_value(error.what()));
      return false;
    }
    spool_->remove(report->seq);
    logger("gmoc")->debug("event=pushed seq={}", report->seq);
  }
  return true;
}

void Reporter::run(std::stop_token stop) {
  Clock::time_point next_sample = Clock::now(), next_push = Clock::now(), retry_at = Clock::now();
  std::chrono::milliseconds backoff{0};
  while (!stop.stop_requested()) {
    bool refresh = false;
    {
      std::lock_guard lock(mutex_);
      refresh = std::exchange(nudged_, false);
    }
    if (refresh) guarded("binding_refresh", [&] { history_.refresh(source_); });
    const Clock::time_point now = Clock::now();
    if (now >= next_sample) {
      guarded("sample", [&] { record(now_utc()); });
      next_sample = now + options_.sample_interval;
    }
    Clock::time_point wake_at = next_sample;
    if (spool_) {
      if (now >= next_push) {
        guarded("spool", [&] { spool_report(now_utc()); });
        next_push = now + options_.push->interval;
      }
      if (now >= retry_at) {
        bool sent = false;
        guarded("push", [&] { sent = send_spooled(); });
        backoff = sent ? std::chrono::milliseconds(0)
                       : std::min(std::max(backoff * 2, std::chrono::milliseconds(250)), options_.push->retry_max);
        retry_at = now + backoff;
      }
      wake_at = std::min({wake_at, next_push, backoff.count() > 0 ? retry_at : next_push});
    }
    std::unique_lock lock(mutex_);
    wake_.wait_until(lock, stop, wake_at, [this] { return nudged_; });
  }
}

}  // namespace federa::gmoc
