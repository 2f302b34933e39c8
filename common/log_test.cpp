#include "common/log.h"

#include <doctest/doctest.h>

TEST_CASE("log values are quoted only when a grep would split them") {
  CHECK(federa::log_value("urn:publicid:IDN+ch+user+alice") == "urn:publicid:IDN+ch+user+alice");
  CHECK(federa::log_value("two words") == "\"two words\"");
  CHECK(federa::log_value("a=b") == "\"a=b\"");
  CHECK(federa::log_value("say \"hi\"\n") == "\"say \\\"hi\\\"\\n\"");
  CHECK(federa::log_value("") == "\"\"");
}
