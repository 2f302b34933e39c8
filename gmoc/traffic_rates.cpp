#include "gmoc/traffic_rates.h"

namespace federa::gmoc {
namespace {

bool counted_on(const TrafficCounters& now, const TrafficCounters& before) {
  return now.rx_bytes >= before.rx_bytes && now.tx_bytes >= before.tx_bytes && now.rx_packets >= before.rx_packets &&
         now.tx_packets >= before.tx_packets;
}

void add_rates(const TrafficCounters& now, const TrafficCounters& before, double seconds, Timestamp at,
               std::vector<Sample>& samples) {
  const auto rate = [&](const char* metric, std::uint64_t later, std::uint64_t earlier, double scale) {
    samples.push_back({now.object_type, now.object_id, metric, at, double(later - earlier) * scale / seconds});
  };
  rate("rx_bps", now.rx_bytes, before.rx_bytes, 8);
  rate("tx_bps", now.tx_bytes, before.tx_bytes, 8);
  rate("rx_pps", now.rx_packets, before.rx_packets, 1);
  rate("tx_pps", now.tx_packets, before.tx_packets, 1);
}

}  // namespace

std::vector<Sample> TrafficRates::update(const std::vector<TrafficCounters>& counters, Timestamp at) {
  std::vector<Sample> samples;
  std::map<std::string, Reading> readings;
  std::lock_guard lock(mutex_);
  for (const TrafficCounters& now : counters) {
    const auto before = previous_.find(now.object_id);
    if (before != previous_.end()) {
      const double seconds = std::chrono::duration<double>(at - before->second.at).count();
      if (seconds > 0 && counted_on(now, before->second.counters)) add_rates(now, before->second.counters, seconds, at, samples);
    }
    readings[now.object_id] = {now, at};
  }
  previous_ = std::move(readings);
  return samples;
}

}  // namespace federa::gmoc
