#include "gmoc/datastore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "clearinghouse/certificate.h"
#include "gmoc/data_query.h"
#include "gmoc/https_url.h"
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

}  // namespace

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
    filter = parse_data_query(query, now_utc());
  } catch (const std::invalid_argument& error) {
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
