// A blocking HTTPS client with a client certificate, as omni is: one call at a time, either a
// new TLS connection per call (omni's way) or one kept-alive connection. Used by the benchmark,
// the tests and services that call other aggregates. Not thread-safe: one per thread.
#pragma once

#include <memory>
#include <string>

#include "rpc/https_server.h"
#include "rpc/xmlrpc_codec.h"

namespace federa::rpc {

class HttpsClient {
 public:
  HttpsClient(std::string host, unsigned short port, TlsContext tls, bool keep_alive);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // POSTs `body` to `path`. Throws boost::system::system_error on transport failures
  // (including a server that refuses the client certificate).
  HttpReply post(const std::string& path, const std::string& body,
                 const std::string& content_type = "text/xml");
  // GETs `path` (which may carry a query); same connection handling and errors as post().
  HttpReply get(const std::string& path);

  // An XML-RPC call; throws XmlRpcFault for an unparseable answer or a non-200 status.
  MethodResponse call(const std::string& path, const std::string& method, const Array& params);

 private:
  struct Connection;
  // The one request path of post() and get(): connects (or reuses the kept-alive connection),
  // writes, reads the answer, closes unless kept alive.
  HttpReply exchange(const std::string& verb, const std::string& path, const std::string& body,
                     const std::string& content_type);

  std::string host_;
  unsigned short port_;
  TlsContext tls_;
  bool keep_alive_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace federa::rpc
