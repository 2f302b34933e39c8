#include "common/base64.h"

#include <doctest/doctest.h>

TEST_CASE("base64 round trips every length and ignores line breaks") {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    CHECK(federa::base64_decode(federa::base64_encode(bytes)) == bytes);
    bytes += static_cast<char>(n * 37);
  }
  CHECK(federa::base64_encode("GENI") == "R0VOSQ==");
  CHECK(federa::base64_decode("R0VO\nSQ==\n") == std::string("GENI"));
  CHECK_FALSE(federa::base64_decode("R0VOSQ="));
  CHECK_FALSE(federa::base64_decode("R0V*SQ=="));
}
