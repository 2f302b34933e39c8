// Reading Federation API v2 arguments: positional parameters, the options struct
// ({match: {FIELD: value or [values]}, filter: [FIELD...], fields: {FIELD: value}}), the
// credentials list, and applying match and filter to result records. Matching compares URN
// fields as URNs (case rules of urn.h), booleans from true/false or the 't'/'f' strings omni
// sends, and everything else as text; a list of wanted values matches any of them. A missing or
// ill-typed argument throws ChError(kArgument) naming it.
#pragma once

#include "clearinghouse/authorizer.h"
#include "common/rfc3339.h"
#include "rpc/xmlrpc_value.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::ch {

// params[index], named `name` in messages.
const rpc::Value& param(const rpc::Array& params, std::size_t index, std::string_view name);
std::string string_param(const rpc::Array& params, std::size_t index, std::string_view name);
// params[index] as the options struct; an absent parameter is an empty struct.
const rpc::Struct& options_param(const rpc::Array& params, std::size_t index);
// params[index] as credentials: v3 structs {geni_type, geni_version, geni_value} or v2 strings.
std::vector<trust::WireCredential> credentials_param(const rpc::Array& params, std::size_t index);

// options.speaking_for or options.geni_speaking_for.
std::optional<std::string> speaking_for(const rpc::Struct& options);

// options[key] as a struct ({} when absent).
const rpc::Struct& options_struct(const rpc::Struct& options, std::string_view key);
// The values a match asks for on one field (one value or a list), as text; empty when absent.
std::vector<std::string> match_values(const rpc::Struct& match, std::string_view field);

// A text field of `fields`, or nullopt when absent.
std::optional<std::string> text_field(const rpc::Struct& fields, std::string_view field);
// A time field (RFC 3339 text or dateTime.iso8601), or nullopt when absent.
std::optional<Timestamp> time_field(const rpc::Struct& fields, std::string_view field);
std::string required_text(const rpc::Struct& fields, std::string_view field);

bool matches(const rpc::Struct& record, const rpc::Struct& match);
// The record with only the fields the options' filter lists (all when no filter).
rpc::Struct filtered(rpc::Struct record, const rpc::Struct& options);

// {key: record} for the records that match, each filtered (lookup answers).
template <class T, class ToStruct, class KeyOf>
rpc::Struct lookup_answer(const std::vector<T>& items, const rpc::Struct& options, ToStruct to_struct, KeyOf key_of) {
  const rpc::Struct& match = options_struct(options, "match");
  rpc::Struct answer;
  for (const T& item : items) {
    rpc::Struct record = to_struct(item);
    if (matches(record, match)) answer.emplace(key_of(item), filtered(std::move(record), options));
  }
  return answer;
}

}  // namespace federa::ch
