#include "rpc/xmlrpc_codec.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/base64.h"
#include "common/safe_xml.h"

namespace federa::rpc {
namespace {

// ---- decoding -------------------------------------------------------------------------------

[[noreturn]] void invalid(const xmlNode* at, const std::string& message) {
  const int line = at ? static_cast<int>(xmlGetLineNo(at)) : 0;
  throw XmlRpcFault(kFaultInvalidRequest,
                    "invalid XML-RPC at line " + std::to_string(line) + ": " + message);
}

bool is_element(const xmlNode* node) { return node->type == XML_ELEMENT_NODE; }

bool has_element_child(const xmlNode* parent) {
  for (const xmlNode* child = parent->children; child; child = child->next) {
    if (is_element(child)) return true;
  }
  return false;
}

// Element children only: whitespace text and comments between elements are ignored, other text
// is an error (it would be silently lost otherwise).
std::vector<const xmlNode*> element_children(const xmlNode* parent) {
  std::vector<const xmlNode*> children;
  for (const xmlNode* child = parent->children; child; child = child->next) {
    if (is_element(child)) {
      children.push_back(child);
    } else if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      for (const xmlChar* c = child->content; c && *c; ++c) {
        if (!std::isspace(*c)) invalid(child, "unexpected text inside <" + std::string(xml_name(parent)) + ">");
      }
    }
  }
  return children;
}

const xmlNode* only_child(const xmlNode* parent, std::string_view name) {
  const auto children = element_children(parent);
  if (children.size() != 1 || xml_name(children[0]) != name) {
    invalid(parent, "<" + std::string(xml_name(parent)) + "> must contain exactly one <" +
                        std::string(name) + ">");
  }
  return children[0];
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::int64_t parse_integer(const xmlNode* node, std::int64_t min, std::int64_t max) {
  const std::string text = xml_text(node);
  std::string_view digits = trim(text);
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() || value < min ||
      value > max) {
    invalid(node, "'" + text + "' is not a valid <" + std::string(xml_name(node)) + ">");
  }
  return value;
}

double parse_double(const xmlNode* node) {
  const std::string text = xml_text(node);
  const std::string_view digits = trim(text);
  double value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    invalid(node, "'" + text + "' is not a valid <double>");
  }
  return value;
}

bool parse_boolean(const xmlNode* node) {
  const std::string text = xml_text(node);
  const std::string_view value = trim(text);
  if (value == "1" || value == "true") return true;
  if (value == "0" || value == "false") return false;
  invalid(node, "'" + text + "' is not a valid <boolean> (0 or 1)");
}

Value parse_value(const xmlNode* node, int depth, const CodecLimits& limits);

Value parse_struct(const xmlNode* node, int depth, const CodecLimits& limits) {
  Struct members;
  for (const xmlNode* member : element_children(node)) {
    if (xml_name(member) != "member") invalid(member, "<struct> may only contain <member>");
    const xmlNode* name = nullptr;
    const xmlNode* value = nullptr;
    for (const xmlNode* part : element_children(member)) {
      if (xml_name(part) == "name" && !name) name = part;
      else if (xml_name(part) == "value" && !value) value = part;
      else invalid(part, "<member> must contain one <name> and one <value>");
    }
    if (!name || !value) invalid(member, "<member> must contain one <name> and one <value>");
    members.insert_or_assign(xml_text(name), parse_value(value, depth + 1, limits));
  }
  return Value(std::move(members));
}

Value parse_array(const xmlNode* node, int depth, const CodecLimits& limits) {
  Array items;
  for (const xmlNode* value : element_children(only_child(node, "data"))) {
    if (xml_name(value) != "value") invalid(value, "<data> may only contain <value>");
    items.push_back(parse_value(value, depth + 1, limits));
  }
  return Value(std::move(items));
}

Value parse_typed(const xmlNode* typed, int depth, const CodecLimits& limits) {
  const std::string_view type = xml_name(typed);
  if (type == "string") return Value(xml_text(typed));
  if (type == "int" || type == "i4") {
    return Value(parse_integer(typed, std::numeric_limits<std::int32_t>::min(),
                               std::numeric_limits<std::int32_t>::max()));
  }
  if (type == "i8") {
    return Value(parse_integer(typed, std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max()));
  }
  if (type == "boolean") return Value(parse_boolean(typed));
  if (type == "double") return Value(parse_double(typed));
  if (type == "dateTime.iso8601") {
    const auto time = parse_rfc3339(xml_text(typed));
    if (!time) invalid(typed, "'" + xml_text(typed) + "' is not a valid dateTime.iso8601");
    return Value(DateTime{*time});
  }
  if (type == "base64") {
    auto bytes = base64_decode(xml_text(typed));
    if (!bytes) invalid(typed, "<base64> does not hold valid base64");
    return Value(Base64{std::move(*bytes)});
  }
  if (type == "struct") return parse_struct(typed, depth, limits);
  if (type == "array") return parse_array(typed, depth, limits);
  if (type == "nil") return Value();
  invalid(typed, "unknown value type <" + std::string(type) + ">");
}

Value parse_value(const xmlNode* node, int depth, const CodecLimits& limits) {
  if (depth > limits.max_value_depth) {
    invalid(node, "values nested deeper than " + std::to_string(limits.max_value_depth) + " levels");
  }
  if (!has_element_child(node)) return Value(xml_text(node));  // untyped value is a string
  const auto children = element_children(node);
  if (children.size() > 1) invalid(node, "<value> holds more than one typed element");
  return parse_typed(children[0], depth, limits);
}

XmlDocument parse_document(std::string_view body, const CodecLimits& limits) {
  try {
    // Each value level is at most three elements deep (value/array/data), plus the envelope.
    return parse_untrusted_xml(body, {.max_bytes = limits.max_bytes,
                                      .max_depth = 3 * limits.max_value_depth + 8});
  } catch (const XmlError& error) {
    throw XmlRpcFault(kFaultParseError, "request is not acceptable XML (line " +
                                            std::to_string(error.line()) + "): " + error.what());
  }
}

Array parse_params(const xmlNode* params, const CodecLimits& limits) {
  Array values;
  for (const xmlNode* param : element_children(params)) {
    if (xml_name(param) != "param") invalid(param, "<params> may only contain <param>");
    values.push_back(parse_value(only_child(param, "value"), 1, limits));
  }
  return values;
}

// ---- encoding -------------------------------------------------------------------------------

bool allowed_in_xml(unsigned char c) { return c >= 0x20 || c == '\t' || c == '\n' || c == '\r'; }

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (allowed_in_xml(static_cast<unsigned char>(c))) out += c;
        else out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 cannot carry this control character
    }
  }
}

void append_value(std::string& out, const Value& value);

void append_scalar(std::string& out, std::string_view tag, std::string_view text) {
  out += '<';
  out += tag;
  out += '>';
  out += text;
  out += "</";
  out += tag;
  out += '>';
}

void append_double(std::string& out, double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  append_scalar(out, "double", std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
}

void append_int(std::string& out, std::int64_t value) {
  const bool fits = value >= std::numeric_limits<std::int32_t>::min() &&
                    value <= std::numeric_limits<std::int32_t>::max();
  append_scalar(out, fits ? "int" : "i8", std::to_string(value));
}

void append_struct(std::string& out, const Struct& members) {
  out += "<struct>";
  for (const auto& [name, member] : members) {
    out += "<member><name>";
    append_escaped(out, name);
    out += "</name>";
    append_value(out, member);
    out += "</member>";
  }
  out += "</struct>";
}

void append_array(std::string& out, const Array& items) {
  out += "<array><data>";
  for (const auto& item : items) append_value(out, item);
  out += "</data></array>";
}

void append_value(std::string& out, const Value& value) {
  out += "<value>";
  switch (value.type()) {
    case Value::Type::kNil: out += "<nil/>"; break;
    case Value::Type::kBool: append_scalar(out, "boolean", value.as_bool() ? "1" : "0"); break;
    case Value::Type::kInt: append_int(out, value.as_int()); break;
    case Value::Type::kDouble: append_double(out, value.as_double()); break;
    case Value::Type::kString:
      out += "<string>";
      append_escaped(out, value.as_string());
      out += "</string>";
      break;
    case Value::Type::kDateTime:
      append_scalar(out, "dateTime.iso8601", format_iso8601_compact(value.as_datetime().time));
      break;
    case Value::Type::kBase64: append_scalar(out, "base64", base64_encode(value.as_base64().bytes)); break;
    case Value::Type::kStruct: append_struct(out, value.as_struct()); break;
    case Value::Type::kArray: append_array(out, value.as_array()); break;
  }
  out += "</value>";
}

constexpr std::string_view kProlog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

}  // namespace

MethodCall parse_method_call(std::string_view body, const CodecLimits& limits) {
  const XmlDocument doc = parse_document(body, limits);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (xml_name(root) != "methodCall") invalid(root, "the root element must be <methodCall>");
  MethodCall call;
  bool named = false;
  for (const xmlNode* child : element_children(root)) {
    if (xml_name(child) == "methodName" && !named) {
      call.method = std::string(trim(xml_text(child)));
      named = true;
    } else if (xml_name(child) == "params" && call.params.empty()) {
      call.params = parse_params(child, limits);
    } else {
      invalid(child, "unexpected <" + std::string(xml_name(child)) + "> in <methodCall>");
    }
  }
  if (call.method.empty()) invalid(root, "<methodCall> has no <methodName>");
  return call;
}

MethodResponse parse_method_response(std::string_view body, const CodecLimits& limits) {
  const XmlDocument doc = parse_document(body, limits);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (xml_name(root) != "methodResponse") invalid(root, "the root element must be <methodResponse>");
  const auto children = element_children(root);
  if (children.size() != 1) invalid(root, "<methodResponse> must hold <params> or <fault>");
  if (xml_name(children[0]) == "fault") {
    return {true, parse_value(only_child(children[0], "value"), 1, limits)};
  }
  if (xml_name(children[0]) != "params") invalid(children[0], "expected <params> or <fault>");
  Array params = parse_params(children[0], limits);
  if (params.size() != 1) invalid(children[0], "a response carries exactly one <param>");
  return {false, std::move(params[0])};
}

std::string write_method_call(std::string_view method, const Array& params) {
  std::string out(kProlog);
  out += "<methodCall><methodName>";
  append_escaped(out, method);
  out += "</methodName><params>";
  for (const auto& param : params) {
    out += "<param>";
    append_value(out, param);
    out += "</param>";
  }
  out += "</params></methodCall>\n";
  return out;
}

std::string write_response(const Value& result) {
  std::string out(kProlog);
  out += "<methodResponse><params><param>";
  append_value(out, result);
  out += "</param></params></methodResponse>\n";
  return out;
}

std::string write_fault(int code, std::string_view message) {
  std::string out(kProlog);
  out += "<methodResponse><fault>";
  append_value(out, Value(Struct{{"faultCode", Value(code)}, {"faultString", Value(message)}}));
  out += "</fault></methodResponse>\n";
  return out;
}

}  // namespace federa::rpc
