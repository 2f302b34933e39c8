#include "rpc/xmlrpc_value.h"

#include <array>

namespace federa::rpc {

std::string_view type_name(Value::Type type) {
  static constexpr std::array<std::string_view, 9> kNames = {
      "nil", "boolean", "int", "double", "string", "dateTime.iso8601", "base64", "struct", "array"};
  return kNames[static_cast<std::size_t>(type)];
}

template <typename T>
const T& Value::get(Type expected) const {
  if (const T* value = std::get_if<T>(&data_)) return *value;
  throw TypeMismatch("expected " + std::string(type_name(expected)) + ", got " +
                     std::string(type_name(type())));
}

bool Value::as_bool() const { return get<bool>(Type::kBool); }
std::int64_t Value::as_int() const { return get<std::int64_t>(Type::kInt); }
double Value::as_double() const { return get<double>(Type::kDouble); }
const std::string& Value::as_string() const { return get<std::string>(Type::kString); }
const DateTime& Value::as_datetime() const { return get<DateTime>(Type::kDateTime); }
const Base64& Value::as_base64() const { return get<Base64>(Type::kBase64); }
const Struct& Value::as_struct() const { return get<Struct>(Type::kStruct); }
const Array& Value::as_array() const { return get<Array>(Type::kArray); }
Struct& Value::as_struct() { return const_cast<Struct&>(get<Struct>(Type::kStruct)); }
Array& Value::as_array() { return const_cast<Array&>(get<Array>(Type::kArray)); }

const Value* Value::find(std::string_view key) const {
  const auto* members = std::get_if<Struct>(&data_);
  if (!members) return nullptr;
  const auto it = members->find(key);
  return it == members->end() ? nullptr : &it->second;
}

}  // namespace federa::rpc
