// XML-RPC (xmlrpc.com spec) encoding and decoding. Decoding runs on the hardened parser
// (common/safe_xml.h: no DTD, no entities, no network) with a byte limit and a nesting limit
// on values; anything that is not a well-formed call raises XmlRpcFault with the standard
// interoperability fault codes, so the server can answer with a fault instead of failing.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rpc/xmlrpc_value.h"

namespace federa::rpc {

// Fault codes from the XML-RPC "specification for fault code interoperability".
inline constexpr int kFaultParseError = -32700;     // not well-formed XML
inline constexpr int kFaultInvalidRequest = -32600;  // XML, but not a valid XML-RPC call
inline constexpr int kFaultMethodNotFound = -32601;
inline constexpr int kFaultInternalError = -32603;

class XmlRpcFault : public std::runtime_error {
 public:
  XmlRpcFault(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

struct CodecLimits {
  std::size_t max_bytes = 16 * 1024 * 1024;
  int max_value_depth = 64;  // structs/arrays nested deeper than this are refused
};

struct MethodCall {
  std::string method;
  Array params;
};

struct MethodResponse {
  bool is_fault = false;
  Value value;  // the result, or the fault struct {faultCode, faultString}
};

MethodCall parse_method_call(std::string_view body, const CodecLimits& limits = {});
MethodResponse parse_method_response(std::string_view body, const CodecLimits& limits = {});

std::string write_method_call(std::string_view method, const Array& params);
std::string write_response(const Value& result);
std::string write_fault(int code, std::string_view message);

}  // namespace federa::rpc
