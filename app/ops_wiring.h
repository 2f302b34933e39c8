// Operations inside `federa am`: the monitoring datastore and /metrics in front of the AM API on
// the same HTTPS server, the binding history and samples in the AM's database (migration set
// "am_ops"), and pushes to a GMOC collector, configured by <data_dir>/ops.toml (optional; see
// docs/operations.md). Use:
//   AmOps ops(config, *store, inventory);
//   rpc::HttpsServer server(trust.tls, ops.route(handler), config.limits);
//   server.listen(...); ops.start(am_url);   // am_url: where collectors send Shutdown
#pragma once

#include <functional>
#include <memory>
#include <vector>
#include <optional>
#include <string>

#include "am/am_config.h"
#include "am/ops_source.h"
#include "gmoc/config.h"
#include "gmoc/datastore.h"
#include "gmoc/history.h"
#include "gmoc/reporter.h"

namespace federa::app {

class AmOps {
 public:
  AmOps(const am::AmConfig& config, store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory);

  // The datastore's paths first; everything else to `am_api`, after which the binding history
  // is refreshed (so short-lived slivers are recorded).
  rpc::HttpHandler route(rpc::HttpHandler am_api);
  // Starts sampling and pushing; am_url is reported to the collector.
  void start(const std::string& am_url);
  // Link slivers' traffic counters (the backend's devices); call before start().
  void set_link_counters(std::function<std::vector<am::LinkCounters>()> read) { source_.set_link_counters(std::move(read)); }

 private:
  gmoc::AmOpsConfig ops_config_;
  am::OpsSource source_;
  gmoc::History history_;
  gmoc::Datastore datastore_;
  std::unique_ptr<gmoc::Reporter> reporter_;
};

}  // namespace federa::app
