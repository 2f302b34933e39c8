#include "gmoc/https_url.h"

#include <charconv>
#include <stdexcept>

namespace federa::gmoc {

HttpsUrl parse_https_url(const std::string& url) {
  constexpr std::string_view scheme = "https://";
  if (!url.starts_with(scheme)) throw std::invalid_argument("'" + url + "' is not an https:// URL");
  const std::string rest = url.substr(scheme.size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpsUrl parsed;
  parsed.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (parsed.path.ends_with('/')) parsed.path.pop_back();
  const std::size_t colon = authority.rfind(':');
  parsed.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), parsed.port);
    if (error != std::errc() || end != port.data() + port.size() || parsed.port == 0) {
      throw std::invalid_argument("'" + url + "' has a bad port");
    }
  }
  if (parsed.host.empty()) throw std::invalid_argument("'" + url + "' names no host");
  return parsed;
}

}  // namespace federa::gmoc
