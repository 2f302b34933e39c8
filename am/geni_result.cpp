#include "am/geni_result.h"

namespace federa::am {
namespace {

rpc::Struct result(GeniCode code, rpc::Value value, const std::string& output) {
  const rpc::Struct code_struct{{"geni_code", rpc::Value(static_cast<int>(code))},
                                {"am_type", rpc::Value(kAmType)},
                                {"am_code", rpc::Value(static_cast<int>(code))}};
  return {{"code", rpc::Value(code_struct)}, {"value", std::move(value)}, {"output", rpc::Value(output)}};
}

}  // namespace

rpc::Struct geni_success(rpc::Value value) { return result(GeniCode::kSuccess, std::move(value), ""); }

rpc::Struct geni_failure(GeniCode code, const std::string& output) {
  return result(code, rpc::Value(""), output);
}

}  // namespace federa::am
