#include "gmoc/http_listener.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/log.h"

namespace federa::gmoc {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

constexpr std::size_t kMaxBody = 1 << 20;

struct Exchange : std::enable_shared_from_this<Exchange> {
  Exchange(tcp::socket socket, const DashboardHandler& handler) : stream(std::move(socket)), handler(handler) {
    parser.body_limit(kMaxBody);
  }

  void start() {
    stream.expires_after(std::chrono::seconds(10));
    http::async_read(stream, buffer, parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->respond();
    });
  }

  void respond() {
    const auto& request = parser.get();
    rpc::HttpRequest call;
    call.verb = std::string(request.method_string());
    call.target = std::string(request.target());
    call.host = std::string(request[http::field::host]);
    call.content_type = std::string(request[http::field::content_type]);
    call.body = request.body();
    beast::error_code ignored;
    call.peer_address = beast::get_lowest_layer(stream).socket().remote_endpoint(ignored).address().to_string();
    rpc::HttpReply reply;
    try {
      reply = handler(call, std::string(request[http::field::authorization]));
    } catch (const std::exception& error) {
      reply = {500, "text/plain", std::string("internal error: ") + error.what()};
    }
    response.result(reply.status);
    response.set(http::field::content_type, reply.content_type);
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(reply.body);
    response.keep_alive(false);
    response.prepare_payload();
    http::async_write(stream, response, [self = shared_from_this()](beast::error_code, std::size_t) {
      beast::error_code ignored_close;
      self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored_close);
    });
  }

  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  http::response<http::string_body> response;
  const DashboardHandler& handler;
};

}  // namespace

HttpListener::HttpListener(const std::string& address, unsigned short port, DashboardHandler handler)
    : handler_(std::move(handler)), acceptor_(io_) {
  const tcp::endpoint endpoint(boost::asio::ip::make_address(address), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::jthread([this] { io_.run(); });
}

HttpListener::~HttpListener() {
  io_.stop();
}

void HttpListener::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    std::make_shared<Exchange>(std::move(socket), handler_)->start();
    accept();
  });
}

}  // namespace federa::gmoc
