#include "gmoc/datastore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "clearinghouse/certificate.h"
#include "gmoc/monitoring_json.h"
#include "gmoc/prometheus.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;

rpc::HttpReply json_reply(unsigned status, const json& body) { return {status, "application/json", body.dump(2)}; }

rpc::HttpReply error_reply(unsigned status, const std::string& message, const std::string& url) {
  return json_reply(status, error_json(message, url));
}

std::string caller_urn(const rpc::HttpRequest& request) {
  if (request.peer.chain.empty()) return "";
  return trust::Certificate(request.peer.chain.front()).urn().value_or("");
}

std::string query_parameter(const std::string& query, const std::string& name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    if (pair.starts_with(name + "=")) return url_decode(pair.substr(name.size() + 1));
    start = end + 1;
  }
  return "";
}

std::vector<std::string> string_list(const json& filter) {
  if (filter.is_string()) return {filter.get<std::string>()};
  return filter.get<std::vector<std::string>>();
}

std::string without_prefix(std::string metric) {
  constexpr std::string_view prefix = "ops_monitoring:";
  if (metric.starts_with(prefix)) metric.erase(0, prefix.size());
  return metric;
}

// The /data/ query's filters; throws std::invalid_argument / json errors for a bad one.
SampleQuery sample_query(const json& q, Timestamp now) {
  const json& filters = q.at("filters");
  SampleQuery query;
  for (const std::string& metric : string_list(filters.at("eventType"))) query.metrics.push_back(without_prefix(metric));
  const json ts = filters.value("ts", json::object());
  query.from = Timestamp(std::chrono::microseconds(ts.value("gte", micros(now - std::chrono::hours(1)))));
  query.to = Timestamp(std::chrono::microseconds(ts.value("lte", micros(now))));
  if (query.from > query.to) throw std::invalid_argument("ts.gte is after ts.lte");
  const json obj = filters.value("obj", json::object());
  query.object_type = obj.value("type", "");
  if (obj.contains("id")) query.object_ids = string_list(obj.at("id"));
  if (query.object_ids.size() == 1 && query.object_ids.front() == "*") query.object_ids.clear();
  return query;
}

}  // namespace

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        throw std::invalid_argument("bad %-escape in the URL");
      }
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

Datastore::Datastore(const OperationalSource& source, History& history, DatastoreOptions options)
    : source_(source), history_(history), options_(std::move(options)) {}

bool Datastore::allowed(const rpc::HttpRequest& request) const {
  const std::string urn = caller_urn(request);
  return std::any_of(options_.collectors.begin(), options_.collectors.end(),
                     [&](const std::string& allowed) { return allowed == "*" || (!urn.empty() && allowed == urn); });
}

std::optional<rpc::HttpReply> Datastore::handle(const rpc::HttpRequest& request) const {
  const std::size_t mark = request.target.find('?');
  const std::string path = request.target.substr(0, mark);
  const std::string query = mark == std::string::npos ? "" : request.target.substr(mark + 1);
  if (!path.starts_with("/info/") && path != "/data/" && path != "/data" && path != "/metrics") return std::nullopt;
  if (request.verb != "GET") return error_reply(405, "the datastore answers GET only", request.target);
  if (!allowed(request)) {
    return error_reply(403, "certificate " + caller_urn(request) + " is not on this datastore's collector whitelist",
                       request.target);
  }
  return answer(request, path, query);
}

rpc::HttpReply Datastore::answer(const rpc::HttpRequest& request, const std::string& path,
                                 const std::string& query) const {
  const std::string base = options_.public_url.empty() ? "https://" + request.host : options_.public_url;
  if (path == "/metrics") {
    return {200, "text/plain; version=0.0.4",
            prometheus_text(source_.samples(now_utc()), source_.slices(), source_.slivers())};
  }
  if (!path.starts_with("/info/")) return data(request, query, base);
  const std::string rest = path.substr(6);
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos) return error_reply(404, "use /info/<type>/<id>", request.target);
  const std::string type = rest.substr(0, slash);
  std::string id;
  try {
    id = url_decode(rest.substr(slash + 1));
  } catch (const std::invalid_argument& error) {
    return error_reply(400, error.what(), request.target);
  }
  const DatastoreView view{source_.identity(), source_.topology(), source_.slivers(), base, now_utc()};
  std::optional<json> doc;
  if (type == "aggregate") {
    if (id == view.aggregate.id) doc = aggregate_json(view);
  } else if (type == "node") {
    doc = node_json(view, id);
  } else if (type == "interface") {
    doc = interface_json(view, id);
  } else if (type == "interfacevlan") {
    doc = interfacevlan_json(view, id);
  } else if (type == "link") {
    doc = link_json(view, id);
  } else if (type == "sliver") {
    doc = sliver_json(view, id);
  } else {
    return error_reply(404, "unknown object type '" + type +
                                "' (aggregate, node, interface, interfacevlan, link, sliver)", request.target);
  }
  if (!doc) return error_reply(404, "no " + type + " '" + id + "' at this aggregate", request.target);
  return json_reply(200, *doc);
}

rpc::HttpReply Datastore::data(const rpc::HttpRequest& request, const std::string& query, const std::string& base) const {
  SampleQuery filter;
  try {
    filter = sample_query(json::parse(query_parameter(query, "q")), now_utc());
  } catch (const std::exception& error) {
    return error_reply(400,
                       std::string("bad /data/ query (") + error.what() +
                           "); expected q={\"filters\":{\"eventType\":[..],\"ts\":{\"gte\":µs,\"lte\":µs},"
                           "\"obj\":{\"type\":..,\"id\":[..]}}}",
                       request.target);
  }
  const DatastoreView view{source_.identity(), {}, {}, base, now_utc()};
  return json_reply(200, data_json(view, history_.samples(filter)));
}

}  // namespace federa::gmoc
