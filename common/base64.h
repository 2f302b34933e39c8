// Base64 (RFC 4648, standard alphabet, padded) on OpenSSL's EVP block coder. Decoding ignores
// ASCII whitespace, since XML-RPC clients wrap base64 at 76 columns.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace federa {

std::string base64_encode(std::string_view bytes);

// nullopt when the text is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace federa
