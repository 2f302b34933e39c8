// "https://host[:port][/path]" split for rpc::HttpsClient; throws std::invalid_argument naming
// the URL when it is not https or has a bad port. url_encode for query parameters (url_decode is its inverse).
#pragma once

#include <string>

namespace federa::gmoc {

struct HttpsUrl {
  std::string host;
  unsigned short port = 443;
  std::string path;  // "" or "/prefix" without a trailing '/'
};

HttpsUrl parse_https_url(const std::string& url);

// "a%7Bb" -> "a{b", '+' -> ' '; throws std::invalid_argument for a bad escape.
std::string url_decode(const std::string& text);
// Percent-encodes everything but RFC 3986 unreserved characters (for a query parameter).
std::string url_encode(const std::string& text);

}  // namespace federa::gmoc
