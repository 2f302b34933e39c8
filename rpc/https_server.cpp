#include "rpc/https_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "common/log.h"

namespace federa::rpc {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

const std::string kServerName = "federa";

std::string endpoint_text(const tcp::endpoint& endpoint) {
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace

// The live sessions, so that stop() can close the idle ones.
struct HttpsServer::Registry {
  std::mutex mutex;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
};

// One TLS connection. Owned by the handlers in flight on it (shared_from_this); every step runs
// on the connection's strand. States: handshake -> (idle -> reading -> handling -> writing)* ->
// shutdown.
class HttpsServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, TlsContext tls, HttpsServer& server)
      : tls_(std::move(tls)),
        stream_(beast::tcp_stream(std::move(socket)), *tls_),
        server_(server),
        peer_address_(endpoint_text(beast::get_lowest_layer(stream_).socket().remote_endpoint())) {}

  ~Session() { --server_.stats_.connections_open; }

  void start() {
    ++server_.stats_.connections_open;
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->handshake(); });
  }

  // Called by stop(): a connection waiting for its next request is closed now; one that is
  // reading, handling or writing finishes its call first and then closes.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) beast::get_lowest_layer(self->stream_).cancel();
    });
  }

 private:
  void handshake() {
    beast::get_lowest_layer(stream_).expires_after(server_.limits_.handshake_timeout);
    stream_.async_handshake(net::ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(beast::error_code ec) {
    if (ec) {
      ++server_.stats_.handshakes_failed;
      logger("rpc")->info("event=tls_refused peer={} reason={}", peer_address_, log_value(ec.message()));
      return;  // the socket closes when the last reference goes
    }
    peer_ = peer_certificates(stream_.native_handle());
    wait_for_request();
  }

  void wait_for_request() {
    if (server_.draining_) return shutdown();
    if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
    idle_ = true;
    beast::get_lowest_layer(stream_).expires_after(server_.limits_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec,
                                                                               std::size_t n) {
      self->idle_ = false;
      if (ec) return;  // closed by the client, idle timeout, or drained
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.limits_.max_header_bytes));
    parser_->body_limit(server_.limits_.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(server_.limits_.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return refuse_unreadable(ec);
    beast::get_lowest_layer(stream_).expires_after(server_.limits_.body_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->refuse_unreadable(ec);
      self->handle(self->parser_->release());
    });
  }

  void refuse_unreadable(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return reply_and_close(413, "request body larger than " +
                                      std::to_string(server_.limits_.max_body_bytes) + " bytes\n");
    }
    if (ec == http::error::header_limit) return reply_and_close(431, "request headers too large\n");
    if (ec.category() == beast::error_code(http::error::bad_version).category()) {
      return reply_and_close(400, "malformed HTTP request: " + ec.message() + "\n");
    }
    // timeouts, resets and end of stream: nothing useful can be sent
    logger("rpc")->debug("event=connection_closed peer={} reason={}", peer_address_, log_value(ec.message()));
  }

  void handle(http::request<http::string_body> message) {
    ++server_.stats_.requests;
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    HttpRequest request{std::string(message.method_string()), std::string(message.target()),
                        std::string(message[http::field::host]),
                        std::string(message[http::field::content_type]), std::move(message.body()),
                        peer_address_, peer_};
    net::post(server_.workers_, [self = shared_from_this(), request = std::move(request)] {
      HttpReply reply = self->run_handler(request);
      net::post(self->stream_.get_executor(),
                [self, reply = std::move(reply)]() mutable { self->write(std::move(reply)); });
    });
  }

  HttpReply run_handler(const HttpRequest& request) {
    try {
      return server_.handler_(request);
    } catch (const std::exception& error) {
      logger("rpc")->error("event=handler_failed peer={} target={} error={}", peer_address_,
                           log_value(request.target), log_value(error.what()));
      return {500, "text/plain", "internal server error\n"};
    }
  }

  void reply_and_close(unsigned status, std::string text) {
    keep_alive_ = false;
    write({status, "text/plain", std::move(text)});
  }

  void write(HttpReply reply) {
    response_.emplace(static_cast<http::status>(reply.status), version_ ? version_ : 11);
    response_->set(http::field::server, kServerName);
    response_->set(http::field::content_type, reply.content_type);
    response_->body() = std::move(reply.body);
    response_->keep_alive(keep_alive_ && !server_.draining_);
    response_->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(server_.limits_.write_timeout);
    http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      const bool again = self->response_->keep_alive();
      self->response_.reset();
      again ? self->wait_for_request() : self->shutdown();
    });
  }

  void shutdown() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::get_lowest_layer(self->stream_).close();
    });
  }

  TlsContext tls_;  // keeps the context this connection was accepted with alive
  beast::ssl_stream<beast::tcp_stream> stream_;
  HttpsServer& server_;
  std::string peer_address_;
  PeerCertificates peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  bool idle_ = false;
  bool keep_alive_ = false;
  unsigned version_ = 11;
};

HttpsServer::HttpsServer(std::shared_ptr<TlsContextHolder> tls, HttpHandler handler, ServerLimits limits)
    : tls_(std::move(tls)),
      handler_(std::move(handler)),
      limits_(limits),
      io_(static_cast<int>(limits.io_threads)),
      acceptor_(net::make_strand(io_)),
      workers_(limits.worker_threads),
      drain_timer_(io_),
      registry_(std::make_shared<Registry>()) {}

HttpsServer::~HttpsServer() {
  workers_.join();
}

void HttpsServer::listen(const std::string& address, unsigned short port) {
  const tcp::endpoint endpoint(net::ip::make_address(address), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  accept();
}

unsigned short HttpsServer::port() const { return acceptor_.local_endpoint().port(); }

void HttpsServer::accept() {
  acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted) return;  // stop()
      logger("rpc")->warn("event=accept_failed reason={}", log_value(ec.message()));
      return accept();
    }
    if (stats_.connections_open >= limits_.max_connections) {
      ++stats_.connections_refused;
      logger("rpc")->warn("event=connection_refused reason=connection_cap cap={}", limits_.max_connections);
      socket.close();
      return accept();
    }
    ++stats_.connections_accepted;
    try {
      auto session = std::make_shared<Session>(std::move(socket), tls_->current(), *this);
      {
        std::lock_guard lock(registry_->mutex);
        std::erase_if(registry_->sessions, [](const auto& weak) { return weak.expired(); });
        registry_->sessions.insert(session);
      }
      session->start();
    } catch (const std::exception& error) {  // e.g. the peer vanished before remote_endpoint()
      logger("rpc")->debug("event=accept_dropped reason={}", log_value(error.what()));
    }
    accept();
  });
}

void HttpsServer::run() {
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < limits_.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& thread : threads) thread.join();
  workers_.join();
}

void HttpsServer::stop() {
  net::post(acceptor_.get_executor(), [this] {
    if (draining_.exchange(true)) return;
    beast::error_code ignored;
    acceptor_.close(ignored);
    {
      std::lock_guard lock(registry_->mutex);
      for (const auto& weak : registry_->sessions) {
        if (auto session = weak.lock()) session->close_if_idle();
      }
    }
    watch_drain(std::chrono::steady_clock::now() + limits_.drain_timeout);
  });
}

// Polls until every connection has closed; past the deadline, abandons the stragglers.
void HttpsServer::watch_drain(std::chrono::steady_clock::time_point deadline) {
  if (stats_.connections_open == 0) return;
  if (std::chrono::steady_clock::now() >= deadline) {
    logger("rpc")->warn("event=drain_timeout open_connections={}", stats_.connections_open.load());
    io_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this, deadline](beast::error_code ec) {
    if (!ec) watch_drain(deadline);
  });
}

}  // namespace federa::rpc
