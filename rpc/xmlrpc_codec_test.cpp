#include "rpc/xmlrpc_codec.h"

#include <doctest/doctest.h>

using namespace federa::rpc;

namespace {

int fault_code_of(const std::string& body, CodecLimits limits = {}) {
  try {
    parse_method_call(body, limits);
  } catch (const XmlRpcFault& fault) {
    return fault.code();
  }
  FAIL("accepted: " << body.substr(0, 120));
  return 0;
}

std::string call_with(const std::string& value_xml) {
  return "<?xml version='1.0'?><methodCall><methodName>M</methodName><params><param><value>" +
         value_xml + "</value></param></params></methodCall>";
}

}  // namespace

TEST_CASE("every XML-RPC type survives a write/parse round trip") {
  const federa::Timestamp when = *federa::parse_rfc3339("2026-11-21T05:26:54Z");
  const Value everything(Struct{
      {"nil", Value()},
      {"yes", Value(true)},
      {"no", Value(false)},
      {"int", Value(-2147483647 - 1)},
      {"big", Value(std::int64_t{1} << 40)},
      {"double", Value(0.25)},
      {"text", Value("a < b & c > d\r\n\tline2 \xC3\xA9")},
      {"empty", Value("")},
      {"when", Value(DateTime{when})},
      {"bytes", Value(Base64{std::string("\0\1\2\xff", 4)})},
      {"list", Value(Array{Value(1), Value("two"), Value(Array{}), Value(Struct{})})},
  });
  const MethodCall call = parse_method_call(write_method_call("Describe", {everything, Value(3)}));
  CHECK(call.method == "Describe");
  REQUIRE(call.params.size() == 2);
  CHECK(call.params[0] == everything);
  CHECK(call.params[1].as_int() == 3);

  const MethodResponse response = parse_method_response(write_response(everything));
  CHECK_FALSE(response.is_fault);
  CHECK(response.value == everything);
}

TEST_CASE("what other implementations send is understood") {
  // Untyped values are strings; i4; whitespace between elements; Python's base64 line breaks.
  const MethodCall call = parse_method_call(
      "<?xml version='1.0'?>\n<methodCall>\n <methodName>GetVersion</methodName>\n <params>\n"
      "  <param><value>plain</value></param>\n  <param><value><i4> 42 </i4></value></param>\n"
      "  <param><value><base64>\nR0VO\nSQ==\n</base64></value></param>\n"
      "  <param><value><dateTime.iso8601>20261121T05:26:54</dateTime.iso8601></value></param>\n"
      " </params>\n</methodCall>\n");
  REQUIRE(call.params.size() == 4);
  CHECK(call.params[0].as_string() == "plain");
  CHECK(call.params[1].as_int() == 42);
  CHECK(call.params[2].as_base64().bytes == "GENI");
  CHECK(federa::format_rfc3339(call.params[3].as_datetime().time) == "2026-11-21T05:26:54Z");
  CHECK(parse_method_call("<methodCall><methodName>X</methodName></methodCall>").params.empty());
}

TEST_CASE("faults are written and read") {
  const MethodResponse fault = parse_method_response(write_fault(kFaultMethodNotFound, "no <such> method"));
  CHECK(fault.is_fault);
  CHECK(fault.value.find("faultCode")->as_int() == kFaultMethodNotFound);
  CHECK(fault.value.find("faultString")->as_string() == "no <such> method");
}

TEST_CASE("malformed and hostile calls raise the right fault") {
  CHECK(fault_code_of("<methodCall><methodName>X</methodName>") == kFaultParseError);
  CHECK(fault_code_of("") == kFaultParseError);
  CHECK(fault_code_of("<!DOCTYPE x [<!ENTITY a 'b'>]><methodCall/>") == kFaultParseError);
  CHECK(fault_code_of("<methodResponse/>") == kFaultInvalidRequest);
  CHECK(fault_code_of("<methodCall><params/></methodCall>") == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<int>2147483648</int>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<int>12abc</int>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<boolean>yes</boolean>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<double>nan</double>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<base64>***</base64>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<dateTime.iso8601>soon</dateTime.iso8601>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<struct><member><name>a</name></member></struct>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<array><data>text<value/></data></array>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<blob/>")) == kFaultInvalidRequest);
  CHECK(fault_code_of(call_with("<int>1</int><int>2</int>")) == kFaultInvalidRequest);
}

TEST_CASE("nesting deeper than the limit is refused, the limit itself is fine") {
  auto nested = [](int levels) {
    std::string open, close;
    for (int i = 0; i < levels; ++i) {
      open += "<array><data><value>";
      close = "</value></data></array>" + close;
    }
    return call_with(open + "<int>1</int>" + close);
  };
  const CodecLimits limits{.max_bytes = 1 << 20, .max_value_depth = 10};
  CHECK_NOTHROW(parse_method_call(nested(9), limits));
  CHECK(fault_code_of(nested(10), limits) == kFaultInvalidRequest);
  CHECK(fault_code_of(nested(5000), limits) == kFaultParseError);  // stopped by the XML depth guard
}

TEST_CASE("type accessors name what was expected") {
  try {
    Value("text").as_struct();
    FAIL("no throw");
  } catch (const TypeMismatch& error) {
    CHECK(std::string(error.what()) == "expected struct, got string");
  }
  CHECK(Value(Struct{{"a", Value(1)}}).find("b") == nullptr);
  CHECK(Value(1).find("a") == nullptr);
}
