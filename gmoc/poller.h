// The collector's polling of aggregate datastores (the pull half of GMOC; pushes are the other):
// for every aggregate with a datastore URL it GETs /info/aggregate/<id>, each node, link and
// sliver that document links to, and /data/?q= for every catalogue metric over
// [previous poll's end - overlap, now] (lookback before the first poll), over one kept-alive TLS
// connection with the collector's certificate (the datastore's collector whitelist must name
// it), and applies what it saw to the CollectorStore (which keeps samples seen twice once).
// An aggregate that fails is logged (event=poll_failed) and does not stop the others.
#pragma once

#include <chrono>

#include "gmoc/collector_store.h"
#include "rpc/tls_context.h"

namespace federa::gmoc {

struct PollOptions {
  rpc::ClientTlsConfig tls;                 // the collector's certificate and key
  std::chrono::milliseconds lookback{3'600'000};  // time series the first poll reads
  std::chrono::milliseconds overlap{60'000};      // re-read before the previous poll's end
};

class Poller {
 public:
  Poller(CollectorStore& store, PollOptions options);

  // Polls every aggregate with a datastore URL; returns how many succeeded.
  std::size_t poll_all();
  // One aggregate's datastore, now; throws (std::runtime_error, std::invalid_argument,
  // boost::system::system_error) when it cannot be read.
  PollResult poll(const AggregateEndpoint& aggregate, Timestamp now) const;

 private:
  CollectorStore& store_;
  PollOptions options_;
  rpc::TlsContext tls_;
};

}  // namespace federa::gmoc
