// "https://host[:port][/path]" split for rpc::HttpsClient; throws std::invalid_argument naming
// the URL when it is not https or has a bad port.
#pragma once

#include <string>

namespace federa::gmoc {

struct HttpsUrl {
  std::string host;
  unsigned short port = 443;
  std::string path;  // "" or "/prefix" without a trailing '/'
};

HttpsUrl parse_https_url(const std::string& url);

}  // namespace federa::gmoc
