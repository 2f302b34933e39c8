#include "am/api_args.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

#include "common/base64.h"
#include "common/geni_error.h"

namespace federa::am {
namespace {

[[noreturn]] void bad(const std::string& what) { throw GeniError(GeniCode::kBadArgs, what); }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

template <typename Read>
decltype(auto) typed(const rpc::Value& value, const std::string& name, Read read) {
  try {
    return read(value);
  } catch (const rpc::TypeMismatch& error) {
    bad(name + ": " + error.what());
  }
}

trust::WireCredential credential_of(const rpc::Value& value, ApiVersion version) {
  if (value.type() == rpc::Value::Type::kString) return trust::WireCredential::from_v2(value.as_string());
  if (version == ApiVersion::kV2) bad("credentials: AM API v2 credentials are XML strings");
  const auto field = [&](const char* key) {
    const rpc::Value* member = value.find(key);
    if (!member) bad(std::string("credentials: a credential struct has no ") + key);
    return typed(*member, std::string("credentials.") + key, [](const rpc::Value& v) { return v.as_string(); });
  };
  return {field("geni_type"), field("geni_version"), field("geni_value")};
}

}  // namespace

const rpc::Value& argument(const rpc::Array& params, std::size_t index, const char* name) {
  if (params.size() <= index) {
    throw GeniError(GeniCode::kBadArgs, std::string("missing argument ") + std::to_string(index + 1) + " (" + name + ")");
  }
  return params[index];
}

const rpc::Struct& options_argument(const rpc::Array& params, std::size_t index) {
  return typed(argument(params, index, "options"), "options",
               [](const rpc::Value& v) -> const rpc::Struct& { return v.as_struct(); });
}

std::string string_argument(const rpc::Array& params, std::size_t index, const char* name) {
  return typed(argument(params, index, name), name, [](const rpc::Value& v) { return v.as_string(); });
}

std::vector<std::string> urns_argument(const rpc::Array& params, std::size_t index) {
  std::vector<std::string> urns;
  const auto& list = typed(argument(params, index, "urns"), "urns",
                           [](const rpc::Value& v) -> const rpc::Array& { return v.as_array(); });
  for (const rpc::Value& urn : list) urns.push_back(typed(urn, "urns", [](const rpc::Value& v) { return v.as_string(); }));
  return urns;
}

std::vector<trust::WireCredential> credentials_argument(const rpc::Array& params, std::size_t index,
                                                        ApiVersion version) {
  std::vector<trust::WireCredential> credentials;
  const auto& list = typed(argument(params, index, "credentials"), "credentials",
                           [](const rpc::Value& v) -> const rpc::Array& { return v.as_array(); });
  for (const rpc::Value& value : list) credentials.push_back(credential_of(value, version));
  return credentials;
}

Timestamp time_argument(const rpc::Value& value, const char* name) {
  if (value.type() == rpc::Value::Type::kDateTime) return value.as_datetime().time;
  const std::string text = typed(value, name, [](const rpc::Value& v) { return v.as_string(); });
  const auto time = parse_rfc3339(text);
  if (!time) bad(std::string(name) + ": '" + text + "' is not an RFC 3339 time (e.g. 2026-11-21T05:26:54Z)");
  return *time;
}

bool bool_option(const rpc::Struct& options, const char* name) {
  const auto it = options.find(name);
  if (it == options.end()) return false;
  if (it->second.type() == rpc::Value::Type::kInt) return it->second.as_int() != 0;
  return typed(it->second, name, [](const rpc::Value& v) { return v.as_bool(); });
}

std::optional<Timestamp> time_option(const rpc::Struct& options, const char* name) {
  const auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return time_argument(it->second, name);
}

std::optional<std::string> string_option(const rpc::Struct& options, const char* name) {
  const auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return typed(it->second, name, [](const rpc::Value& v) { return v.as_string(); });
}

std::vector<SliceUser> users_value(const rpc::Value& value) {
  std::vector<SliceUser> users;
  const auto& list = typed(value, "geni_users", [](const rpc::Value& v) -> const rpc::Array& { return v.as_array(); });
  for (const rpc::Value& entry : list) {
    SliceUser user;
    const rpc::Value* urn = entry.find("urn");
    if (!urn) bad("geni_users: an entry has no urn");
    user.urn = typed(*urn, "geni_users.urn", [](const rpc::Value& v) { return v.as_string(); });
    if (const rpc::Value* keys = entry.find("keys")) {
      for (const rpc::Value& key : typed(*keys, "geni_users.keys", [](const rpc::Value& v) -> const rpc::Array& {
             return v.as_array();
           })) {
        user.keys.push_back(typed(key, "geni_users.keys", [](const rpc::Value& v) { return v.as_string(); }));
      }
    }
    users.push_back(std::move(user));
  }
  return users;
}

void require_geni3_rspec_version(const rpc::Struct& options) {
  const auto it = options.find("geni_rspec_version");
  if (it == options.end()) bad("option geni_rspec_version is required, e.g. {type: GENI, version: 3}");
  const rpc::Value* type = it->second.find("type");
  const rpc::Value* version = it->second.find("version");
  if (!type || !version) bad("geni_rspec_version needs both type and version");
  const std::string type_text = typed(*type, "geni_rspec_version.type", [](const rpc::Value& v) { return v.as_string(); });
  const std::string version_text =
      typed(*version, "geni_rspec_version.version", [](const rpc::Value& v) { return v.as_string(); });
  if (lower(type_text) != "geni" || version_text != "3") {
    throw GeniError(GeniCode::kBadVersion,
                    "RSpec " + type_text + " " + version_text + " is not supported; this aggregate speaks GENI 3");
  }
}

std::string maybe_compressed(const std::string& xml, const rpc::Struct& options) {
  if (!bool_option(options, "geni_compressed")) return xml;
  uLongf size = compressBound(static_cast<uLong>(xml.size()));
  std::string packed(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &size, reinterpret_cast<const Bytef*>(xml.data()),
                static_cast<uLong>(xml.size()), Z_DEFAULT_COMPRESSION) != Z_OK) {
    throw GeniError(GeniCode::kServerError, "compressing the answer failed");
  }
  packed.resize(size);
  return base64_encode(packed);
}

rpc::Value sliver_status(const SliverRecord& sliver, const std::string& error) {
  return rpc::Value(rpc::Struct{
      {"geni_sliver_urn", rpc::Value(sliver.urn)},
      {"geni_expires", rpc::Value(format_rfc3339(sliver.expires))},
      {"geni_start_time", rpc::Value(format_rfc3339(sliver.start_time))},
      {"geni_end_time", rpc::Value(format_rfc3339(sliver.end_time))},
      {"geni_allocation_status", rpc::Value(to_string(sliver.states.allocation))},
      {"geni_operational_status", rpc::Value(to_string(sliver.states.operational))},
      {"geni_error", rpc::Value(error.empty() ? sliver.error : error)},
      {"geni_client_id", rpc::Value(sliver.client_id)},
      {"federa_progress", rpc::Value(sliver.progress)},  // what the backend is doing (configuring, busy)
  });
}

rpc::Array sliver_statuses(const std::vector<SliverRecord>& slivers) {
  rpc::Array statuses;
  for (const SliverRecord& sliver : slivers) statuses.push_back(sliver_status(sliver));
  return statuses;
}

}  // namespace federa::am
