// An XML-RPC value: nil, boolean, int (i4/int, and i8 on input), double, string,
// dateTime.iso8601, base64, struct and array. Structs keep their members sorted by name.
// Accessors throw TypeMismatch naming the expected and actual type, so a handler can turn a
// wrong argument into a clear BADARGS answer.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/rfc3339.h"

namespace federa::rpc {

class Value;
struct Nil {
  bool operator==(const Nil&) const = default;
};
struct DateTime {
  Timestamp time;
  bool operator==(const DateTime&) const = default;
};
struct Base64 {
  std::string bytes;
  bool operator==(const Base64&) const = default;
};
using Array = std::vector<Value>;
using Struct = std::map<std::string, Value, std::less<>>;

class TypeMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Value {
 public:
  enum class Type { kNil, kBool, kInt, kDouble, kString, kDateTime, kBase64, kStruct, kArray };

  Value() = default;
  Value(bool v) : data_(v) {}
  Value(int v) : data_(std::int64_t{v}) {}
  Value(std::int64_t v) : data_(v) {}
  Value(double v) : data_(v) {}
  Value(std::string v) : data_(std::move(v)) {}
  Value(std::string_view v) : data_(std::string(v)) {}
  Value(const char* v) : data_(std::string(v)) {}
  Value(DateTime v) : data_(v) {}
  Value(Base64 v) : data_(std::move(v)) {}
  Value(Struct v) : data_(std::move(v)) {}
  Value(Array v) : data_(std::move(v)) {}

  Type type() const { return static_cast<Type>(data_.index()); }
  bool is_nil() const { return type() == Type::kNil; }

  bool as_bool() const;
  std::int64_t as_int() const;
  double as_double() const;
  const std::string& as_string() const;
  const DateTime& as_datetime() const;
  const Base64& as_base64() const;
  const Struct& as_struct() const;
  const Array& as_array() const;
  Struct& as_struct();
  Array& as_array();

  // Struct member or nullptr (also nullptr when this is not a struct).
  const Value* find(std::string_view key) const;

  bool operator==(const Value&) const = default;

 private:
  template <typename T>
  const T& get(Type expected) const;

  std::variant<Nil, bool, std::int64_t, double, std::string, DateTime, Base64, Struct, Array> data_;
};

std::string_view type_name(Value::Type type);

}  // namespace federa::rpc
