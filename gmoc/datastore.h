// The aggregate's GENI monitoring datastore and Prometheus endpoint, as an HTTP handler to put in
// front of the AM API on the same HTTPS server:
//   GET /info/aggregate/<id>  /info/node/<id>  /info/interface/<id>  /info/interfacevlan/<id>
//       /info/link/<id>  /info/sliver/<id>                 one JSON object (schema/monitoring/)
//   GET /data/?q={"filters":{"eventType":[...],"ts":{"gte":µs,"lte":µs},"obj":{"type":..,"id":[..]}}}
//                                                          a JSON array of "data" series
//   GET /metrics                                           Prometheus text exposition
// Only collectors whose TLS client certificate URN is whitelisted get answers (403 otherwise);
// unknown objects are 404, bad queries 400, each with an "error" JSON document.
// handle() returns nullopt for every other path, which the caller routes to the AM API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gmoc/history.h"
#include "gmoc/operational_source.h"
#include "rpc/https_server.h"

namespace federa::gmoc {

struct DatastoreOptions {
  std::vector<std::string> collectors;  // URNs allowed to read; "*" allows every trusted caller
  std::string public_url;               // base for selfRef/href; "" = https://<Host header>
};

class Datastore {
 public:
  Datastore(const OperationalSource& source, History& history, DatastoreOptions options);

  std::optional<rpc::HttpReply> handle(const rpc::HttpRequest& request) const;

 private:
  rpc::HttpReply answer(const rpc::HttpRequest& request, const std::string& path, const std::string& query) const;
  rpc::HttpReply data(const rpc::HttpRequest& request, const std::string& query, const std::string& base) const;
  bool allowed(const rpc::HttpRequest& request) const;

  const OperationalSource& source_;
  History& history_;
  DatastoreOptions options_;
};

}  // namespace federa::gmoc
