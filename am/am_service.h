// The aggregate manager's HTTP handler: routes POSTs to the AM API endpoints (v3 at /am/3.0 and
// /, v2 at /am/2.0), decodes XML-RPC, identifies the caller by the GENI URN of the TLS client
// certificate, dispatches by method name, and encodes the answer. Undecodable bodies and unknown
// methods get XML-RPC faults; everything a method can judge gets the GENI return struct.
// One structured log line per call.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "am/get_version.h"
#include "rpc/https_server.h"
#include "rpc/xmlrpc_codec.h"

namespace federa::am {

struct CallContext {
  ApiVersion version;
  std::string caller_urn;  // "" when the certificate carries no GENI URN
  const rpc::PeerCertificates* peer;
  std::string base_url;  // "https://host:port" as the caller reached us
};

// A method returns the whole AM API return struct, or throws GeniError / rpc::TypeMismatch
// (turned into BADARGS) for the dispatcher to wrap.
using AmMethod = std::function<rpc::Struct(const CallContext&, const rpc::Array& params)>;

class AmService {
 public:
  // public_url: the base URL to advertise ("" = from each call's Host header); listen_url: the
  // base URL used when a call has no Host header (HTTP/1.0).
  AmService(std::string public_url, std::string listen_url, rpc::CodecLimits limits);

  // Registers a method for one API version.
  void add_method(ApiVersion version, const std::string& name, AmMethod method);

  rpc::HttpReply handle(const rpc::HttpRequest& request) const;

 private:
  std::string respond(const rpc::HttpRequest& request, ApiVersion version) const;
  rpc::Struct invoke(const AmMethod& method, const CallContext& context, const rpc::Array& params) const;
  std::string base_url(const rpc::HttpRequest& request) const;

  std::string public_url_;
  std::string listen_url_;
  rpc::CodecLimits limits_;
  std::map<std::pair<ApiVersion, std::string>, AmMethod> methods_;
};

// Registers GetVersion on both API versions.
void add_get_version(AmService& service, const std::string& aggregate_urn);

}  // namespace federa::am
