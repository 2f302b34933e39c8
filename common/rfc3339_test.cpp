#include "common/rfc3339.h"

#include <doctest/doctest.h>

using namespace std::chrono;
using federa::format_rfc3339;
using federa::parse_rfc3339;

TEST_CASE("RFC 3339 round trip and the forms clients send") {
  const auto base = parse_rfc3339("2026-11-21T05:26:54Z");
  REQUIRE(base);
  CHECK(format_rfc3339(*base) == "2026-11-21T05:26:54Z");
  CHECK(federa::format_iso8601_compact(*base) == "20261121T05:26:54");
  CHECK(parse_rfc3339("2026-11-21T04:31:13.614158+00:00") ==
        federa::Timestamp(sys_days(2026y / 11 / 21) + 4h + 31min + 13s + 614158us));
  CHECK(parse_rfc3339("2026-11-21T07:26:54+02:00") == base);
  CHECK(parse_rfc3339("2026-11-21T00:26:54-0500") == base);
  CHECK(parse_rfc3339("2026-11-21 05:26:54") == base);
  CHECK(parse_rfc3339("20261121T05:26:54") == base);
  CHECK(parse_rfc3339(" 2026-11-21T05:26:54.5Z ") == *base + 500ms);
}

TEST_CASE("RFC 3339 rejects what is not a time") {
  for (const char* bad : {"", "tomorrow", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-21T25:00:00Z", "2026-11-21T05:26:54Q", "2026-11-21"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}
