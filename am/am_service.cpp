#include "am/am_service.h"

#include <chrono>
#include <optional>

#include "am/geni_result.h"
#include "clearinghouse/certificate.h"
#include "common/log.h"

namespace federa::am {
namespace {

std::optional<ApiVersion> api_for_path(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/" || path == "/am/3.0" || path == "/am/3.0/") return ApiVersion::kV3;
  if (path == "/am/2.0" || path == "/am/2.0/") return ApiVersion::kV2;
  return std::nullopt;
}

std::string caller_urn_of(const rpc::PeerCertificates& peer) {
  if (!peer.leaf()) return "";
  X509* leaf = const_cast<X509*>(peer.leaf());
  X509_up_ref(leaf);
  return trust::Certificate(std::shared_ptr<X509>(leaf, X509_free)).urn().value_or("");
}

int geni_code_of(const rpc::Struct& answer) {
  const auto code = answer.find("code");
  if (code == answer.end()) return -1;
  const rpc::Value* geni_code = code->second.find("geni_code");
  return geni_code ? static_cast<int>(geni_code->as_int()) : -1;
}

}  // namespace

AmService::AmService(std::string public_url, std::string listen_url, rpc::CodecLimits limits)
    : public_url_(std::move(public_url)), listen_url_(std::move(listen_url)), limits_(limits) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

void AmService::add_method(ApiVersion version, const std::string& name, AmMethod method) {
  methods_[{version, name}] = std::move(method);
}

rpc::HttpReply AmService::handle(const rpc::HttpRequest& request) const {
  const auto version = api_for_path(request.target);
  if (!version) {
    return {404, "text/plain", "no AM API at " + request.target + " (use /am/3.0 or /am/2.0)\n"};
  }
  if (request.verb != "POST") return {405, "text/plain", "AM API calls are XML-RPC POSTs\n"};
  return {200, "text/xml", respond(request, *version)};
}

std::string AmService::respond(const rpc::HttpRequest& request, ApiVersion version) const {
  const auto started = std::chrono::steady_clock::now();
  const std::string caller = caller_urn_of(request.peer);
  auto log_call = [&](const std::string& method, int code) {
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    logger("am")->info("event=call api={} method={} caller={} peer={} code={} ms={:.2f}",
                       static_cast<int>(version), log_value(method), log_value(caller),
                       request.peer_address, code, elapsed.count());
  };
  rpc::MethodCall call;
  try {
    call = rpc::parse_method_call(request.body, limits_);
  } catch (const rpc::XmlRpcFault& fault) {
    log_call("-", fault.code());
    return rpc::write_fault(fault.code(), fault.what());
  }
  const auto method = methods_.find({version, call.method});
  if (method == methods_.end()) {
    log_call(call.method, rpc::kFaultMethodNotFound);
    return rpc::write_fault(rpc::kFaultMethodNotFound, "method \"" + call.method +
                                                           "\" is not part of AM API v" +
                                                           std::to_string(static_cast<int>(version)));
  }
  const CallContext context{version, caller, &request.peer, base_url(request)};
  rpc::Struct answer = invoke(method->second, context, call.params);
  log_call(call.method, geni_code_of(answer));
  return rpc::write_response(rpc::Value(std::move(answer)));
}

rpc::Struct AmService::invoke(const AmMethod& method, const CallContext& context,
                              const rpc::Array& params) const {
  try {
    return method(context, params);
  } catch (const GeniError& error) {
    return geni_failure(error.code(), error.what());
  } catch (const rpc::TypeMismatch& error) {
    return geni_failure(GeniCode::kBadArgs, std::string("bad argument: ") + error.what());
  } catch (const std::exception& error) {  // a bug or a broken store: still a GENI answer
    logger("am")->error("event=call_failed caller={} error={}", log_value(context.caller_urn), log_value(error.what()));
    return geni_failure(GeniCode::kServerError, std::string("the aggregate could not complete the call: ") + error.what());
  }
}

std::string AmService::base_url(const rpc::HttpRequest& request) const {
  if (!public_url_.empty()) return public_url_;
  return request.host.empty() ? listen_url_ : "https://" + request.host;
}

void add_get_version(AmService& service, const std::string& aggregate_urn) {
  for (ApiVersion version : {ApiVersion::kV2, ApiVersion::kV3}) {
    service.add_method(version, "GetVersion",
                       [version, aggregate_urn](const CallContext& context, const rpc::Array& params) {
                         if (params.size() > 1) {
                           throw GeniError(GeniCode::kBadArgs, "GetVersion takes at most one argument (options)");
                         }
                         if (!params.empty()) params[0].as_struct();  // options, if given, are a struct
                         return get_version(version, {context.base_url, aggregate_urn});
                       });
  }
}

}  // namespace federa::am
