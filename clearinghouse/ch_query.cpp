#include "clearinghouse/ch_query.h"

#include "clearinghouse/ch_error.h"
#include "clearinghouse/urn.h"

#include <algorithm>

namespace federa::ch {
namespace {

const rpc::Struct& empty_struct() {
  static const rpc::Struct empty;
  return empty;
}

std::string text_of(const rpc::Value& value) {
  switch (value.type()) {
    case rpc::Value::Type::kString:
      return value.as_string();
    case rpc::Value::Type::kInt:
      return std::to_string(value.as_int());
    case rpc::Value::Type::kBool:
      return value.as_bool() ? "t" : "f";
    case rpc::Value::Type::kDateTime:
      return format_rfc3339(value.as_datetime().time);
    default:
      throw ChError(ChCode::kArgument, "a match value must be text, a number or a boolean, not " +
                                           std::string(rpc::type_name(value.type())));
  }
}

std::optional<bool> truth_of(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "t" || lower == "true" || lower == "1") return true;
  if (lower == "f" || lower == "false" || lower == "0") return false;
  return std::nullopt;
}

bool value_matches(const rpc::Value& actual, const rpc::Value& wanted) {
  if (wanted.type() == rpc::Value::Type::kArray) {
    const auto& any = wanted.as_array();
    return std::any_of(any.begin(), any.end(), [&](const rpc::Value& one) { return value_matches(actual, one); });
  }
  const std::string want = text_of(wanted);
  if (actual.type() == rpc::Value::Type::kBool) return truth_of(want) == actual.as_bool();
  const std::string have = text_of(actual);
  if (trust::Urn::try_parse(have) && trust::Urn::try_parse(want)) return trust::same_urn(have, want);
  return have == want;
}

}  // namespace

const rpc::Value& param(const rpc::Array& params, std::size_t index, std::string_view name) {
  if (index >= params.size()) {
    throw ChError(ChCode::kArgument, "missing argument " + std::to_string(index + 1) + " (" + std::string(name) + ")");
  }
  return params[index];
}

std::string string_param(const rpc::Array& params, std::size_t index, std::string_view name) {
  const rpc::Value& value = param(params, index, name);
  if (value.type() != rpc::Value::Type::kString) {
    throw ChError(ChCode::kArgument,
                  std::string(name) + " must be a string, not " + std::string(rpc::type_name(value.type())));
  }
  return value.as_string();
}

const rpc::Struct& options_param(const rpc::Array& params, std::size_t index) {
  if (index >= params.size()) return empty_struct();
  if (params[index].type() != rpc::Value::Type::kStruct) {
    throw ChError(ChCode::kArgument,
                  "options must be a struct, not " + std::string(rpc::type_name(params[index].type())));
  }
  return params[index].as_struct();
}

std::vector<trust::WireCredential> credentials_param(const rpc::Array& params, std::size_t index) {
  std::vector<trust::WireCredential> credentials;
  if (index >= params.size()) return credentials;
  for (const rpc::Value& item : params[index].as_array()) {
    if (item.type() == rpc::Value::Type::kString) {
      credentials.push_back(trust::WireCredential::from_v2(item.as_string()));
      continue;
    }
    const rpc::Struct& wrapped = item.as_struct();
    credentials.push_back({required_text(wrapped, "geni_type"), text_field(wrapped, "geni_version").value_or(""),
                           required_text(wrapped, "geni_value")});
  }
  return credentials;
}

std::optional<std::string> speaking_for(const rpc::Struct& options) {
  if (auto urn = text_field(options, "speaking_for")) return urn;
  return text_field(options, "geni_speaking_for");
}

const rpc::Struct& options_struct(const rpc::Struct& options, std::string_view key) {
  const auto found = options.find(key);
  if (found == options.end()) return empty_struct();
  if (found->second.type() != rpc::Value::Type::kStruct) {
    throw ChError(ChCode::kArgument, "options." + std::string(key) + " must be a struct");
  }
  return found->second.as_struct();
}

std::vector<std::string> match_values(const rpc::Struct& match, std::string_view field) {
  const auto found = match.find(field);
  if (found == match.end()) return {};
  if (found->second.type() != rpc::Value::Type::kArray) return {text_of(found->second)};
  std::vector<std::string> values;
  for (const rpc::Value& value : found->second.as_array()) values.push_back(text_of(value));
  return values;
}

std::optional<std::string> text_field(const rpc::Struct& fields, std::string_view field) {
  const auto found = fields.find(field);
  if (found == fields.end()) return std::nullopt;
  if (found->second.type() != rpc::Value::Type::kString) {
    throw ChError(ChCode::kArgument, std::string(field) + " must be a string");
  }
  return found->second.as_string();
}

std::optional<Timestamp> time_field(const rpc::Struct& fields, std::string_view field) {
  const auto found = fields.find(field);
  if (found == fields.end()) return std::nullopt;
  if (found->second.type() == rpc::Value::Type::kDateTime) return found->second.as_datetime().time;
  const auto time = parse_rfc3339(text_field(fields, field).value());
  if (!time) {
    throw ChError(ChCode::kArgument, std::string(field) + " '" + found->second.as_string() +
                                         "' is not a time (use RFC 3339, e.g. 2026-11-21T05:26:54Z)");
  }
  return time;
}

std::string required_text(const rpc::Struct& fields, std::string_view field) {
  auto text = text_field(fields, field);
  if (!text || text->empty()) throw ChError(ChCode::kArgument, std::string(field) + " is required");
  return *text;
}

bool matches(const rpc::Struct& record, const rpc::Struct& match) {
  for (const auto& [field, wanted] : match) {
    const auto actual = record.find(field);
    if (actual == record.end() || !value_matches(actual->second, wanted)) return false;
  }
  return true;
}

rpc::Struct filtered(rpc::Struct record, const rpc::Struct& options) {
  const auto filter = options.find("filter");
  if (filter == options.end() || filter->second.as_array().empty()) return record;
  rpc::Struct kept;
  for (const rpc::Value& field : filter->second.as_array()) {
    const auto found = record.find(field.as_string());
    if (found != record.end()) kept.emplace(found->first, found->second);
  }
  return kept;
}

}  // namespace federa::ch
