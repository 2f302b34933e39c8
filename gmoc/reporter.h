// The aggregate's side of GMOC, running on its own thread: every sample interval it brings the
// binding history up to date and records the current metric samples (pruning old ones); every
// push interval it spools a report; and it sends spooled reports to the collector oldest first,
// one at a time, removing each only once the collector has accepted it (HTTP 200). A failed send
// keeps the report and retries with exponential backoff up to retry_max, so a collector that is
// down gets everything, in order, once it is back. nudge() asks for a binding refresh now (the AM
// calls it after each API call, so short-lived slivers are recorded too). Stops when destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "gmoc/history.h"
#include "gmoc/operational_source.h"
#include "gmoc/spool.h"
#include "rpc/tls_context.h"

namespace federa::gmoc {

struct PushOptions {
  std::string url;  // collector base URL, e.g. https://noc.example.net:8443 ("" = do not push)
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds retry_max{60'000};
  std::filesystem::path spool_dir;
  rpc::ClientTlsConfig tls;  // the aggregate's certificate and key
};

struct ReporterOptions {
  std::chrono::milliseconds sample_interval{10'000};
  std::chrono::hours retention{24 * 7};
  std::optional<PushOptions> push;
};

class Reporter {
 public:
  Reporter(const OperationalSource& source, History& history, ReporterOptions options);
  ~Reporter();

  void nudge();

 private:
  void run(std::stop_token stop);
  void record(Timestamp now);
  void spool_report(Timestamp now);
  bool send_spooled();  // false when a send failed

  const OperationalSource& source_;
  History& history_;
  ReporterOptions options_;
  std::optional<Spool> spool_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool nudged_ = false;
  std::jthread thread_;
};

}  // namespace federa::gmoc
