// libFuzzer target: the XML-RPC call and response decoders must reject anything malformed with
// XmlRpcFault and never crash, hang or leak; what they accept, once encoded, must decode and
// encode again to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rpc/xmlrpc_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const federa::rpc::CodecLimits limits{.max_bytes = 1 << 20, .max_value_depth = 32};
  try {
    const auto call = federa::rpc::parse_method_call(body, limits);
    const std::string encoded = federa::rpc::write_method_call(call.method, call.params);
    const auto again = federa::rpc::parse_method_call(encoded, limits);
    if (federa::rpc::write_method_call(again.method, again.params) != encoded) __builtin_trap();
  } catch (const federa::rpc::XmlRpcFault&) {
  }
  try {
    federa::rpc::parse_method_response(body, limits);
  } catch (const federa::rpc::XmlRpcFault&) {
  }
  return 0;
}
