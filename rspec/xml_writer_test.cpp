#include "rspec/xml_writer.h"

#include "common/geni_error.h"

#include <doctest/doctest.h>

namespace federa::rspec {
namespace {

TEST_CASE("the writer indents, self-closes empty elements and escapes") {
  XmlWriter writer;
  writer.open("a");
  writer.attribute("q", "x\"<&>\t\n\r");
  writer.open("b");
  writer.close();
  writer.text_element("c", "1 < 2 & \"ok\"");
  writer.text_element("skipped", "");
  writer.fragment("<x:y xmlns:x=\"urn:x\"/>");
  writer.close();
  CHECK(writer.finish() ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<a q=\"x&quot;&lt;&amp;&gt;&#9;&#10;&#13;\">\n"
        "  <b/>\n"
        "  <c>1 &lt; 2 &amp; \"ok\"</c>\n"
        "  <x:y xmlns:x=\"urn:x\"/>\n"
        "</a>\n");
}

TEST_CASE("characters XML forbids and broken UTF-8 are refused") {
  for (const char* bad : {"\x01", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xEF\xBF\xBE", "\xF8\x88\x80\x80\x80"}) {
    CAPTURE(bad);
    XmlWriter writer;
    writer.open("a");
    CHECK_THROWS_AS(writer.attribute("v", bad), GeniError);
  }
  XmlWriter writer;
  writer.open("a");
  writer.text("\xF0\x9F\x9A\x80 \xE2\x82\xAC \xC3\xA9");
  writer.close();
  CHECK(writer.finish().find("<a>\xF0\x9F\x9A\x80 \xE2\x82\xAC \xC3\xA9</a>") != std::string::npos);
}

}  // namespace
}  // namespace federa::rspec
