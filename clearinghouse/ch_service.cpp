#include "clearinghouse/ch_service.h"

#include "clearinghouse/certificate.h"
#include "clearinghouse/ch_error.h"
#include "common/log.h"
#include "store/errors.h"

#include <chrono>
#include <optional>

namespace federa::ch {
namespace {

struct Route {
  Endpoint endpoint;
  std::string_view path;
};

std::optional<Route> route_of(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/SA") return Route{Endpoint::kSliceAuthority, "/SA"};
  if (path == "/MA") return Route{Endpoint::kMemberAuthority, "/MA"};
  if (path == "/" || path == "/REG" || path == "/CH") return Route{Endpoint::kRegistry, path};
  return std::nullopt;
}

std::string_view endpoint_name(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kRegistry:
      return "REG";
    case Endpoint::kSliceAuthority:
      return "SA";
    case Endpoint::kMemberAuthority:
      return "MA";
  }
  return "REG";
}

std::string caller_urn_of(const rpc::PeerCertificates& peer) {
  if (!peer.leaf()) return "";
  X509* leaf = const_cast<X509*>(peer.leaf());
  X509_up_ref(leaf);
  return trust::Certificate(std::shared_ptr<X509>(leaf, X509_free)).urn().value_or("");
}

rpc::Struct failure(ChCode code, const std::string& message) {
  return ch_failure(static_cast<int>(code), ch_output(code, message));
}

rpc::Struct invoke(const ChMethod& method, const ChCall& call) {
  try {
    return ch_success(method(call));
  } catch (const ChError& error) {
    return failure(error.code(), error.what());
  } catch (const GeniError& error) {
    return failure(ch_code_for(error.code()), error.what());
  } catch (const rpc::TypeMismatch& error) {
    return failure(ChCode::kArgument, std::string("bad argument: ") + error.what());
  } catch (const store::ConflictError& error) {
    return failure(ChCode::kDuplicate, error.what());
  } catch (const store::Error& error) {
    return failure(ChCode::kDatabase, error.what());
  } catch (const std::exception& error) {
    logger("ch")->error("event=method_failed error={}", log_value(error.what()));
    return failure(ChCode::kServer, error.what());
  }
}

}  // namespace

rpc::Struct ch_success(rpc::Value value) {
  return {{"code", rpc::Value(0)}, {"value", std::move(value)}, {"output", rpc::Value("")}};
}

rpc::Struct ch_failure(int code, const std::string& output) {
  return {{"code", rpc::Value(code)}, {"value", rpc::Value("")}, {"output", rpc::Value(output)}};
}

ChService::ChService(std::string public_url, std::string listen_url, rpc::CodecLimits limits)
    : public_url_(std::move(public_url)), listen_url_(std::move(listen_url)), limits_(limits) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

void ChService::add_method(Endpoint endpoint, const std::string& name, ChMethod method) {
  methods_[{endpoint, name}] = std::move(method);
}

rpc::HttpReply ChService::handle(const rpc::HttpRequest& request) const {
  const auto route = route_of(request.target);
  if (!route) {
    return {404, "text/plain",
            "no clearinghouse service at " + request.target + " (use /SA, /MA, or / for the registry)\n"};
  }
  if (request.verb != "POST") return {405, "text/plain", "Federation API calls are XML-RPC POSTs\n"};
  return {200, "text/xml", respond(request, route->endpoint, route->path)};
}

std::string ChService::respond(const rpc::HttpRequest& request, Endpoint endpoint, std::string_view path) const {
  const auto started = std::chrono::steady_clock::now();
  auto log_call = [&](const std::string& method, int code) {
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    logger("ch")->info("event=call service={} method={} caller={} peer={} code={} ms={:.2f}", endpoint_name(endpoint),
                       log_value(method), log_value(caller_urn_of(request.peer)), request.peer_address, code,
                       elapsed.count());
  };
  rpc::MethodCall call;
  try {
    call = rpc::parse_method_call(request.body, limits_);
  } catch (const rpc::XmlRpcFault& fault) {
    log_call("-", fault.code());
    return rpc::write_fault(fault.code(), fault.what());
  }
  const auto method = methods_.find({endpoint, call.method});
  if (method == methods_.end()) {
    log_call(call.method, rpc::kFaultMethodNotFound);
    return rpc::write_fault(rpc::kFaultMethodNotFound, "method \"" + call.method + "\" is not part of the " +
                                                           std::string(endpoint_name(endpoint)) +
                                                           " service of the Federation API v2");
  }
  const ChCall context{endpoint, call.params, request.peer, base_url(request) + std::string(path)};
  rpc::Struct answer = invoke(method->second, context);
  log_call(call.method, static_cast<int>(answer.at("code").as_int()));
  return rpc::write_response(rpc::Value(std::move(answer)));
}

std::string ChService::base_url(const rpc::HttpRequest& request) const {
  if (!public_url_.empty()) return public_url_;
  return request.host.empty() ? listen_url_ : "https://" + request.host;
}

}  // namespace federa::ch
