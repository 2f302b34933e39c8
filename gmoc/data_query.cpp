#include "gmoc/data_query.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "gmoc/https_url.h"
#include "gmoc/json_fields.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;

std::string query_parameter(const std::string& query, const std::string& name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    if (pair.starts_with(name + "=")) return url_decode(pair.substr(name.size() + 1));
    start = end + 1;
  }
  throw std::invalid_argument("no q= parameter");
}

// A string or a list of strings.
std::vector<std::string> string_list(const json& object, const char* name) {
  if (field<json>(object, name).is_string()) return {field<std::string>(object, name)};
  return list_field<std::string>(object, name, [name](const json& item) {
    if (!item.is_string()) throw std::invalid_argument(std::string("'") + name + "' must hold strings");
    return item.get<std::string>();
  });
}

std::string without_prefix(std::string metric) {
  constexpr std::string_view prefix = "ops_monitoring:";
  if (metric.starts_with(prefix)) metric.erase(0, prefix.size());
  return metric;
}

// An optional object member; absent = {}.
json section(const json& filters, const char* name) {
  if (!filters.contains(name)) return json::object();
  const json value = field<json>(filters, name);
  if (!value.is_object()) throw std::invalid_argument(std::string("'") + name + "' must be an object");
  return value;
}

Timestamp time_or(const json& ts, const char* name, Timestamp otherwise) {
  return ts.contains(name) ? time_field(ts, name) : otherwise;
}

}  // namespace

SampleQuery parse_data_query(const std::string& url_query, Timestamp now) {
  json q;
  try {
    q = json::parse(query_parameter(url_query, "q"));
  } catch (const json::exception& error) {
    throw std::invalid_argument(std::string("q is not JSON: ") + error.what());
  }
  const json filters = field<json>(q, "filters");
  if (!filters.is_object()) throw std::invalid_argument("'filters' must be an object");
  SampleQuery query;
  for (const std::string& metric : string_list(filters, "eventType")) query.metrics.push_back(without_prefix(metric));
  const json ts = section(filters, "ts");
  query.from = time_or(ts, "gte", now - std::chrono::hours(1));
  query.to = time_or(ts, "lte", now);
  if (query.from > query.to) throw std::invalid_argument("ts.gte is after ts.lte");
  const json obj = section(filters, "obj");
  if (obj.contains("type")) query.object_type = field<std::string>(obj, "type");
  if (obj.contains("id")) query.object_ids = string_list(obj, "id");
  if (query.object_ids.size() == 1 && query.object_ids.front() == "*") query.object_ids.clear();
  return query;
}

}  // namespace federa::gmoc
