// `federa gmoc`'s behaviour, apart from process wiring: it receives push reports on its HTTPS
// port (POST /gmoc/push from aggregates with certificates its trust roots accept; answers 200
// {"seq", "applied"} for new and duplicate reports alike, 400 for malformed ones), probes every
// known aggregate's AM API with GetVersion (health up/down), and serves the dashboard: static
// files from web_dir and a JSON API (GET /api/aggregates, /api/slices, /api/events, /api/audit,
// /api/series?aggregate=&object=&metric=, /api/reports?aggregate=; POST /api/stop
// {"slice_urn"}: emergency stop on every aggregate holding the slice, audited). The API wants
// "Authorization: Bearer <token>" with a token of the configured operators; the operator's name
// is who the audit log records.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "gmoc/collector_store.h"
#include "gmoc/emergency_stop.h"
#include "rpc/https_server.h"

namespace federa::gmoc {

struct CollectorOptions {
  OperatorIdentity operator_identity;
  std::map<std::string, std::string> operators;  // token -> operator name
  std::filesystem::path web_dir;
};

class Collector {
 public:
  Collector(CollectorStore& store, CollectorOptions options);

  rpc::HttpReply handle_push(const rpc::HttpRequest& request);
  rpc::HttpReply handle_dashboard(const rpc::HttpRequest& request, const std::string& authorization);
  // GetVersion on each aggregate with a known AM URL; records up/down with the reason.
  void probe_health();

 private:
  rpc::HttpReply api(const rpc::HttpRequest& request, const std::string& operator_name);
  rpc::HttpReply stop(const rpc::HttpRequest& request, const std::string& operator_name);
  rpc::HttpReply static_file(const std::string& path) const;

  CollectorStore& store_;
  CollectorOptions options_;
};

}  // namespace federa::gmoc
