#include "rpc/https_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace federa::rpc {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct HttpsClient::Connection {
  Connection(net::io_context& io, net::ssl::context& tls) : stream(io, tls) {}
  beast::ssl_stream<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

namespace {
net::io_context& client_io() {
  thread_local net::io_context io;
  return io;
}
}  // namespace

HttpsClient::HttpsClient(std::string host, unsigned short port, TlsContext tls, bool keep_alive)
    : host_(std::move(host)), port_(port), tls_(std::move(tls)), keep_alive_(keep_alive) {}

HttpsClient::~HttpsClient() = default;

HttpReply HttpsClient::post(const std::string& path, const std::string& body,
                            const std::string& content_type) {
  return exchange("POST", path, body, content_type);
}

HttpReply HttpsClient::get(const std::string& path) { return exchange("GET", path, "", ""); }

HttpReply HttpsClient::exchange(const std::string& verb, const std::string& path, const std::string& body,
                                const std::string& content_type) {
  if (!connection_) {
    auto fresh = std::make_unique<Connection>(client_io(), *tls_);
    net::ip::tcp::resolver resolver(client_io());
    beast::get_lowest_layer(fresh->stream).connect(resolver.resolve(host_, std::to_string(port_)));
    fresh->stream.handshake(net::ssl::stream_base::client);
    connection_ = std::move(fresh);
  }
  http::request<http::string_body> request(http::string_to_verb(verb), path, 11);
  request.set(http::field::host, host_ + ":" + std::to_string(port_));
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  request.set(http::field::user_agent, "federa-client");
  request.keep_alive(keep_alive_);
  request.body() = body;
  request.prepare_payload();  // no Content-Length on a bodiless GET
  http::response<http::string_body> response;
  try {
    http::write(connection_->stream, request);
    http::read(connection_->stream, connection_->buffer, response);
  } catch (...) {
    connection_.reset();
    throw;
  }
  if (!keep_alive_ || !response.keep_alive()) {
    beast::error_code ignored;
    connection_->stream.shutdown(ignored);
    connection_.reset();
  }
  return {response.result_int(), std::string(response[http::field::content_type]),
          std::move(response.body())};
}

MethodResponse HttpsClient::call(const std::string& path, const std::string& method, const Array& params) {
  HttpReply reply = post(path, write_method_call(method, params));
  if (reply.status != 200) {
    throw XmlRpcFault(kFaultInternalError, "HTTP " + std::to_string(reply.status) + ": " + reply.body);
  }
  return parse_method_response(reply.body);
}

}  // namespace federa::rpc
