#include "common/safe_xml.h"

#include <doctest/doctest.h>

#include <string>

using federa::XmlError;
using federa::parse_untrusted_xml;

namespace {

XmlError::Kind failure_kind(const std::string& xml, federa::XmlLimits limits = {}) {
  try {
    parse_untrusted_xml(xml, limits);
  } catch (const XmlError& error) {
    return error.kind();
  }
  FAIL("document was accepted: " << xml.substr(0, 80));
  return XmlError::Kind::kMalformed;
}

}  // namespace

TEST_CASE("well-formed documents parse into a tree") {
  auto doc = parse_untrusted_xml("<a x='1'><b>text &amp; more</b></a>");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  CHECK(federa::xml_name(root) == "a");
  CHECK(federa::xml_attribute(root, "x") == "1");
  CHECK(federa::xml_text(root) == "text & more");
}

TEST_CASE("a DOCTYPE is refused before its internal subset is read") {
  const std::string laughs =
      "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
      "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
      "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>"
      "<lolz>&lol3;</lolz>";
  CHECK(failure_kind(laughs) == XmlError::Kind::kForbiddenDoctype);
  const std::string xxe =
      "<?xml version='1.0'?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
      "<foo>&xxe;</foo>";
  try {
    parse_untrusted_xml(xxe);
    FAIL("XXE accepted");
  } catch (const XmlError& error) {
    CHECK(error.kind() == XmlError::Kind::kForbiddenDoctype);
    CHECK(error.line() == 2);
  }
}

TEST_CASE("undeclared entities, bad nesting and empty input are malformed") {
  CHECK(failure_kind("<a>&undefined;</a>") == XmlError::Kind::kMalformed);
  CHECK(failure_kind("<a><b></a>") == XmlError::Kind::kMalformed);
  CHECK(failure_kind("") == XmlError::Kind::kMalformed);
  CHECK(failure_kind("not xml at all") == XmlError::Kind::kMalformed);
}

TEST_CASE("depth and size limits") {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<d>";
  for (int i = 0; i < 40; ++i) deep += "</d>";
  CHECK_NOTHROW(parse_untrusted_xml(deep, {.max_bytes = 1000, .max_depth = 40}));
  CHECK(failure_kind(deep, {.max_bytes = 1000, .max_depth = 39}) == XmlError::Kind::kTooDeep);
  CHECK(failure_kind(deep, {.max_bytes = 100, .max_depth = 100}) == XmlError::Kind::kTooLarge);
}
