// A small plain-HTTP/1.1 server for the collector's dashboard, meant for loopback or behind the
// site's authenticating reverse proxy (the dashboard's API also wants a bearer token). One request
// per connection, 1 MiB body limit, 10 s to read a request; the handler runs on the listener's
// own thread with the request and its Authorization header. Stops (and joins) when destroyed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <string>
#include <thread>

#include "rpc/https_server.h"

namespace federa::gmoc {

using DashboardHandler = std::function<rpc::HttpReply(const rpc::HttpRequest&, const std::string& authorization)>;

class HttpListener {
 public:
  HttpListener(const std::string& address, unsigned short port, DashboardHandler handler);
  ~HttpListener();

  unsigned short port() const { return port_; }

 private:
  void accept();

  DashboardHandler handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::jthread thread_;
};

}  // namespace federa::gmoc
