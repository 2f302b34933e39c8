// Traffic rates from cumulative device counters: each update() takes the counters of every
// object now (a link's monitoring id with its rx/tx bytes and packets) and returns the
// rx_bps/tx_bps (bits per second) and rx_pps/tx_pps samples over the time since that object's
// previous update. An object seen for the first time, or whose counters went back (a device
// recreated), gives no rates this time; objects absent from an update are forgotten.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "gmoc/ops_model.h"

namespace federa::gmoc {

struct TrafficCounters {
  std::string object_type;  // "link"
  std::string object_id;
  std::uint64_t rx_bytes = 0, tx_bytes = 0, rx_packets = 0, tx_packets = 0;
};

class TrafficRates {
 public:
  std::vector<Sample> update(const std::vector<TrafficCounters>& counters, Timestamp at);

 private:
  struct Reading {
    TrafficCounters counters;
    Timestamp at{};
  };
  std::mutex mutex_;
  std::map<std::string, Reading> previous_;  // by object id
};

}  // namespace federa::gmoc
