#include "gmoc/poller.h"

#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>

#include "common/log.h"
#include "gmoc/datastore_reader.h"
#include "gmoc/https_url.h"
#include "gmoc/monitoring_json.h"
#include "rpc/https_client.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;

// GET of a datastore path, parsed; anything but 200 with JSON is an error naming the path.
json get_json(rpc::HttpsClient& client, const std::string& path) {
  const rpc::HttpReply reply = client.get(path);
  if (reply.status != 200) {
    throw std::runtime_error("GET " + path + ": HTTP " + std::to_string(reply.status) + " " + reply.body.substr(0, 300));
  }
  try {
    return json::parse(reply.body);
  } catch (const json::exception& error) {
    throw std::runtime_error("GET " + path + ": not JSON: " + error.what());
  }
}

// The /data/ query for every metric federa knows over [from, to].
std::string data_path(Timestamp from, Timestamp to) {
  std::set<std::string> metrics;
  for (const MetricInfo& metric : metric_catalogue()) metrics.insert(metric.name);
  const json q{{"filters", {{"eventType", metrics}, {"ts", {{"gte", micros(from)}, {"lte", micros(to)}}}}}};
  return "/data/?q=" + url_encode(q.dump());
}

}  // namespace

Poller::Poller(CollectorStore& store, PollOptions options)
    : store_(store), options_(std::move(options)), tls_(rpc::make_client_tls_context(options_.tls)) {}

std::size_t Poller::poll_all() {
  std::size_t succeeded = 0;
  for (const AggregateEndpoint& aggregate : store_.aggregates_list()) {
    if (aggregate.datastore_url.empty()) continue;
    const auto started = std::chrono::steady_clock::now();
    try {
      const PollResult result = poll(aggregate, now_utc());
      store_.apply_poll(result, now_utc());
      ++succeeded;
      logger("gmoc")->info("event=poll aggregate={} slivers={} samples={} ms={}", log_value(aggregate.id),
                           result.slivers.size(), result.samples.size(),
                           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    } catch (const std::exception& error) {
      logger("gmoc")->warn("event=poll_failed aggregate={} url={} error={}", log_value(aggregate.id),
                           log_value(aggregate.datastore_url), log_value(error.what()));
    }
  }
  return succeeded;
}

PollResult Poller::poll(const AggregateEndpoint& aggregate, Timestamp now) const {
  const HttpsUrl url = parse_https_url(aggregate.datastore_url);
  rpc::HttpsClient client(url.host, url.port, tls_, true);
  const AggregateLinks links =
      aggregate_links(get_json(client, url.path + "/info/aggregate/" + url_encode(aggregate.id)), aggregate.id);
  PollResult result;
  result.aggregate_id = aggregate.id;
  result.urn = links.urn;
  for (const std::string& path : links.nodes) {
    result.topology.resources.push_back(resource_from(get_json(client, url.path + path), aggregate.id));
  }
  for (const std::string& path : links.links) {
    result.topology.circuits.push_back(circuit_from(get_json(client, url.path + path), aggregate.id));
  }
  for (const std::string& path : links.slivers) {
    result.slivers.push_back(sliver_from(get_json(client, url.path + path), aggregate.id));
  }
  const auto previous = store_.polled_until(aggregate.id);
  const Timestamp from = previous ? *previous - options_.overlap : now - options_.lookback;
  result.samples = samples_from(get_json(client, url.path + data_path(from, now)), aggregate.id);
  result.until = now;
  return result;
}

}  // namespace federa::gmoc
