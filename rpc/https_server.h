// An HTTPS server for XML-RPC services (Boost.Beast over Asio SSL). Each connection is one
// Session: TLS handshake (client certificate required), then HTTP/1.0 or keep-alive HTTP/1.1
// requests, one at a time. Handlers run on a worker pool, off the I/O threads, so a slow call
// never stalls other connections. Limits: body size (413), header size (431), idle, header and
// body timeouts, a cap on concurrent connections. stop() drains: it stops accepting, closes idle
// connections, lets in-flight calls finish and answer, then run() returns.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "rpc/tls_context.h"

namespace federa::rpc {

struct HttpRequest {
  std::string verb;    // "POST", "GET", ...
  std::string target;  // path and query, e.g. "/am/3.0"
  std::string host;    // the Host header as the client sent it (may be empty for HTTP/1.0)
  std::string content_type;
  std::string body;
  std::string peer_address;  // "127.0.0.1:54321"
  PeerCertificates peer;     // verified by TLS against the trust roots
};

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "text/xml";
  std::string body;
};

using HttpHandler = std::function<HttpReply(const HttpRequest&)>;

struct ServerLimits {
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds header_timeout{10'000};  // first byte to end of headers
  std::chrono::milliseconds body_timeout{60'000};    // headers to end of body
  std::chrono::milliseconds write_timeout{60'000};
  std::chrono::milliseconds drain_timeout{30'000};  // after stop(), in-flight calls get this long
  std::size_t max_connections = 1024;
  unsigned io_threads = 2;
  unsigned worker_threads = 8;
};

struct ServerStats {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_refused{0};  // over the connection cap
  std::atomic<std::uint64_t> handshakes_failed{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::size_t> connections_open{0};
};

class HttpsServer {
 public:
  HttpsServer(std::shared_ptr<TlsContextHolder> tls, HttpHandler handler, ServerLimits limits);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Binds and listens; port 0 picks an ephemeral port (see port()).
  void listen(const std::string& address, unsigned short port);
  unsigned short port() const;

  // Serves on io_threads threads (the caller's among them) until stop() has drained.
  void run();
  // Thread-safe and async-signal-free: call from a signal handler set on io_context().
  void stop();
  boost::asio::io_context& io_context() { return io_; }
  const ServerStats& stats() const { return stats_; }

  class Session;

 private:
  void accept();
  void watch_drain(std::chrono::steady_clock::time_point deadline);

  std::shared_ptr<TlsContextHolder> tls_;
  HttpHandler handler_;
  ServerLimits limits_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::thread_pool workers_;
  boost::asio::steady_timer drain_timer_;
  ServerStats stats_;
  std::atomic<bool> draining_{false};
  struct Registry;
  std::shared_ptr<Registry> registry_;
};

}  // namespace federa::rpc
