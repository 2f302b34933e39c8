// The clearinghouse's HTTP handler (Common Federation API v2 over XML-RPC): routes POSTs by path
// to the federation registry ("/", "/REG", "/CH"), the slice authority ("/SA") or the member
// authority ("/MA"), decodes the call, dispatches by method name and answers the struct
// {code, value, output}. Undecodable bodies and unknown methods get XML-RPC faults; whatever a
// method throws becomes a coded answer: ChError as is, GeniError through ch_code_for(),
// rpc::TypeMismatch as ARGUMENT_ERROR, store errors as DATABASE_ERROR (a unique violation as
// DUPLICATE_ERROR). One structured log line per call.
#pragma once

#include "rpc/https_server.h"
#include "rpc/xmlrpc_codec.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace federa::ch {

enum class Endpoint { kRegistry, kSliceAuthority, kMemberAuthority };

struct ChCall {
  Endpoint endpoint;
  const rpc::Array& params;
  const rpc::PeerCertificates& peer;  // verified by TLS against the trust roots
  std::string url;                    // the endpoint's URL as the caller reached it
};

// A method returns the answer's value or throws.
using ChMethod = std::function<rpc::Value(const ChCall&)>;

class ChService {
 public:
  // public_url: the base URL to advertise ("" = from each call's Host header); listen_url: the
  // base URL used when a call has no Host header.
  ChService(std::string public_url, std::string listen_url, rpc::CodecLimits limits);

  void add_method(Endpoint endpoint, const std::string& name, ChMethod method);
  rpc::HttpReply handle(const rpc::HttpRequest& request) const;

 private:
  std::string respond(const rpc::HttpRequest& request, Endpoint endpoint, std::string_view path) const;
  std::string base_url(const rpc::HttpRequest& request) const;

  std::string public_url_;
  std::string listen_url_;
  rpc::CodecLimits limits_;
  std::map<std::pair<Endpoint, std::string>, ChMethod> methods_;
};

// {code, value, output}.
rpc::Struct ch_success(rpc::Value value);
rpc::Struct ch_failure(int code, const std::string& output);

}  // namespace federa::ch
