#include "gmoc/collector.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "common/log.h"
#include "gmoc/https_url.h"
#include "rpc/https_client.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;

rpc::HttpReply json_reply(unsigned status, const json& body) { return {status, "application/json", body.dump()}; }

rpc::HttpReply error_reply(unsigned status, const std::string& message) {
  return json_reply(status, {{"error", message}});
}

std::string parameter(const std::string& target, const std::string& name) {
  const std::size_t mark = target.find('?');
  if (mark == std::string::npos) return "";
  std::istringstream query(target.substr(mark + 1));
  std::string pair;
  while (std::getline(query, pair, '&')) {
    if (pair.starts_with(name + "=")) return url_decode(pair.substr(name.size() + 1));
  }
  return "";
}

const char* content_type_of(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  return "application/octet-stream";
}

json outcome_json(const StopOutcome& outcome) {
  return {{"aggregate", outcome.aggregate_id}, {"am_url", outcome.am_url}, {"stopped", outcome.stopped},
          {"geni_code", outcome.geni_code}, {"output", outcome.output}};
}

// The GENI health probe (geni_am_getversion): "up" when GetVersion answers with code 0.
std::string health_of(const AggregateEndpoint& aggregate, const rpc::TlsContext& tls, std::string& detail) {
  try {
    const HttpsUrl url = parse_https_url(aggregate.am_url);
    rpc::HttpsClient client(url.host, url.port, tls, false);
    const rpc::MethodResponse response = client.call(url.path + "/am/3.0", "GetVersion", {});
    if (response.is_fault) {
      detail = "GetVersion: XML-RPC fault";
      return "down";
    }
    const auto code = response.value.as_struct().at("code").as_struct().at("geni_code").as_int();
    detail = "GetVersion geni_code " + std::to_string(code);
    return code == 0 ? "up" : "down";
  } catch (const std::exception& error) {
    detail = error.what();
    return "down";
  }
}

}  // namespace

Collector::Collector(CollectorStore& store, CollectorOptions options) : store_(store), options_(std::move(options)) {}

rpc::HttpReply Collector::handle_push(const rpc::HttpRequest& request) {
  if (request.target != "/gmoc/push" || request.verb != "POST") {
    return error_reply(404, "this port takes POST /gmoc/push from aggregates; the dashboard is on the dashboard port");
  }
  try {
    const ReceiveOutcome outcome = store_.receive(parse_report(json::parse(request.body)), now_utc());
    logger("gmoc")->info("event=report aggregate={} seq={} applied={} peer={}", log_value(outcome.aggregate_id),
                         outcome.seq, outcome.applied, request.peer_address);
    return json_reply(200, {{"seq", outcome.seq}, {"applied", outcome.applied}});
  } catch (const std::exception& error) {  // json::exception and std::invalid_argument
    logger("gmoc")->warn("event=report_refused peer={} error={}", request.peer_address, log_value(error.what()));
    return error_reply(400, std::string("malformed report: ") + error.what());
  }
}

rpc::HttpReply Collector::handle_dashboard(const rpc::HttpRequest& request, const std::string& authorization) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (!path.starts_with("/api/")) return static_file(path == "/" ? "/index.html" : path);
  constexpr std::string_view bearer = "Bearer ";
  const auto who = authorization.starts_with(bearer) ? options_.operators.find(authorization.substr(bearer.size()))
                                                     : options_.operators.end();
  if (who == options_.operators.end()) {
    return error_reply(401, "the dashboard API wants \"Authorization: Bearer <token>\" with an operator's token");
  }
  return api(request, who->second);
}

rpc::HttpReply Collector::api(const rpc::HttpRequest& request, const std::string& operator_name) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (path == "/api/stop") return stop(request, operator_name);
  if (request.verb != "GET") return error_reply(405, "GET only (POST /api/stop)");
  if (path == "/api/aggregates") return json_reply(200, store_.aggregates());
  if (path == "/api/slices") return json_reply(200, store_.slices());
  if (path == "/api/events") return json_reply(200, store_.events(200));
  if (path == "/api/audit") return json_reply(200, store_.audit_log(200));
  if (path == "/api/reports") return json_reply(200, store_.reports(parameter(request.target, "aggregate")));
  if (path == "/api/series") {
    return json_reply(200, store_.series(parameter(request.target, "aggregate"), parameter(request.target, "object"),
                                         parameter(request.target, "metric")));
  }
  return error_reply(404, "no API " + path);
}

rpc::HttpReply Collector::stop(const rpc::HttpRequest& request, const std::string& operator_name) {
  if (request.verb != "POST") return error_reply(405, "POST {\"slice_urn\": ...} to stop a slice");
  std::string slice_urn;
  try {
    slice_urn = json::parse(request.body).at("slice_urn").get<std::string>();
  } catch (const std::exception&) {
    return error_reply(400, "the body must be {\"slice_urn\": \"urn:publicid:IDN+...+slice+...\"}");
  }
  const auto targets = store_.aggregates_holding(slice_urn);
  if (targets.empty()) return error_reply(404, "no aggregate reported slice " + slice_urn);
  json answers = json::array();
  for (const StopOutcome& outcome : emergency_stop(slice_urn, targets, options_.operator_identity)) {
    answers.push_back(outcome_json(outcome));
  }
  store_.audit(operator_name, "emergency_stop", slice_urn, answers, now_utc());
  logger("gmoc")->warn("event=emergency_stop operator={} slice={} answers={}", log_value(operator_name), slice_urn,
                       log_value(answers.dump()));
  return json_reply(200, {{"slice_urn", slice_urn}, {"operator", operator_name}, {"aggregates", answers}});
}

rpc::HttpReply Collector::static_file(const std::string& path) const {
  if (path.find("..") != std::string::npos) return error_reply(400, "bad path");
  const std::filesystem::path file = options_.web_dir / path.substr(1);
  std::ifstream in(file, std::ios::binary);
  if (!in) return error_reply(404, "no page " + path);
  std::ostringstream body;
  body << in.rdbuf();
  return {200, content_type_of(file), body.str()};
}

void Collector::probe_health() {
  const rpc::TlsContext tls = rpc::make_client_tls_context(options_.operator_identity.tls);
  for (const AggregateEndpoint& aggregate : store_.aggregates_list()) {
    if (aggregate.am_url.empty()) continue;
    std::string detail;
    const std::string health = health_of(aggregate, tls, detail);
    store_.record_health(aggregate.id, health, detail, now_utc());
  }
}

}  // namespace federa::gmoc
