#include "rspec/parse.h"
#include "rspec/test_support.h"

#include <doctest/doctest.h>

namespace federa::rspec {
namespace {

using testing::thrown_by;

constexpr const char* kOpen = "<rspec xmlns=\"http://www.geni.net/resources/rspec/3\" type=\"request\">\n";

GeniError request_error(const std::string& xml, const ParseLimits& limits = {}) {
  return thrown_by([&] { parse_request(xml, limits); });
}

bool mentions(const GeniError& error, const std::string& text) {
  return std::string(error.what()).find(text) != std::string::npos;
}

TEST_CASE("malformed XML is BADARGS with the line") {
  GeniError error = request_error(std::string(kOpen) + "<node client_id=\"a\">\n</rspec>");
  CHECK(error.code() == GeniCode::kBadArgs);
  CHECK(mentions(error, "line 3"));
  CHECK(request_error("").code() == GeniCode::kBadArgs);
  CHECK(request_error("\xFF\xFE<rspec/>").code() == GeniCode::kBadArgs);
}

TEST_CASE("external entities and entity bombs are refused before expansion") {
  const std::string xxe =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE rspec [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" +
      std::string(kOpen) + "<node client_id=\"&x;\"/></rspec>";
  GeniError error = request_error(xxe);
  CHECK(error.code() == GeniCode::kBadArgs);
  CHECK(mentions(error, "DOCTYPE"));
  CHECK(mentions(error, "line 2"));
  const std::string bomb =
      "<!DOCTYPE rspec [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>" +
      std::string(kOpen) + "<node client_id=\"&d;\"/></rspec>";
  CHECK(request_error(bomb).code() == GeniCode::kBadArgs);
}

TEST_CASE("too many nodes or links is TOOBIG, naming the element and line") {
  std::string xml = kOpen;
  for (int i = 0; i < 4; ++i) xml += "<node client_id=\"n" + std::to_string(i) + "\"/>\n";
  xml += "</rspec>";
  ParseLimits limits;
  limits.max_nodes = 3;
  GeniError error = request_error(xml, limits);
  CHECK(error.code() == GeniCode::kTooBig);
  CHECK(mentions(error, "<node> at line 5"));
  CHECK(mentions(error, "at most 3"));
  limits.max_nodes = 4;
  CHECK(parse_request(xml, limits).nodes.size() == 4);

  std::string links = kOpen;
  for (int i = 0; i < 3; ++i) links += "<link client_id=\"l" + std::to_string(i) + "\"/>\n";
  limits.max_links = 2;
  CHECK(request_error(links + "</rspec>", limits).code() == GeniCode::kTooBig);
}

TEST_CASE("an oversized document is TOOBIG and a too deep one BADARGS") {
  ParseLimits limits;
  limits.max_bytes = 100;
  std::string xml = std::string(kOpen) + std::string(200, ' ') + "</rspec>";
  GeniError big = request_error(xml, limits);
  CHECK(big.code() == GeniCode::kTooBig);
  CHECK(mentions(big, "exceeds the limit of 100 bytes"));

  std::string deep = kOpen;
  for (int i = 0; i < 100; ++i) deep += "<x:e xmlns:x=\"urn:x\">";
  for (int i = 0; i < 100; ++i) deep += "</x:e>";
  GeniError nested = request_error(deep + "</rspec>");
  CHECK(nested.code() == GeniCode::kBadArgs);
  CHECK(mentions(nested, "deeper than 64"));
}

TEST_CASE("other RSpec versions and kinds are BADVERSION") {
  GeniError v2 = request_error(
      "<rspec xmlns=\"http://www.protogeni.net/resources/rspec/2\" type=\"request\"/>");
  CHECK(v2.code() == GeniCode::kBadVersion);
  CHECK(mentions(v2, "<rspec> at line 1"));
  CHECK(mentions(v2, "http://www.protogeni.net/resources/rspec/2"));
  CHECK(request_error("<rspec type=\"request\"/>").code() == GeniCode::kBadVersion);

  GeniError ad = request_error(
      "<rspec xmlns=\"http://www.geni.net/resources/rspec/3\" type=\"advertisement\"/>");
  CHECK(ad.code() == GeniCode::kBadVersion);
  CHECK(mentions(ad, "type is 'advertisement' where request RSpec was expected"));
  GeniError manifest = thrown_by([] {
    parse_manifest("<rspec xmlns=\"http://www.geni.net/resources/rspec/3\" type=\"request\"/>");
  });
  CHECK(manifest.code() == GeniCode::kBadVersion);
}

TEST_CASE("request content errors are BADARGS naming the element and line") {
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"<node/>", "<node> at line 2: missing required attribute client_id"},
      {"<node client_id=\"a\"/>\n<node client_id=\"a\"/>", "<node> at line 3: client_id 'a' is used twice"},
      {"<node client_id=\"a\" exclusive=\"maybe\"/>", "exclusive must be true or false, not 'maybe'"},
      {"<node client_id=\"a\"><interface client_id=\"i\"/></node>\n<link client_id=\"l\">\n"
       "<interface_ref client_id=\"j\"/></link>",
       "<interface_ref> at line 4: interface_ref names 'j', which no node declares"},
      {"<link client_id=\"l\"><property source_id=\"a\" dest_id=\"b\" capacity=\"fast\"/></link>",
       "attribute capacity must be a whole number"},
      {"<link client_id=\"l\"><property source_id=\"a\" dest_id=\"b\" packet_loss=\"2\"/></link>",
       "packet_loss must be a fraction from 0 to 1"},
      {"<node client_id=\"a\"><services><login authentication=\"ssh-keys\" port=\"70000\"/></services></node>",
       "<login> at line 2: attribute port must be a whole number from 0 to 65535"},
      {"<node client_id=\"a\"><sliver_type/></node>", "<sliver_type> at line 2: missing required attribute name"},
      {"<node client_id=\"a\"><odd xmlns=\"\"/></node>", "<odd> at line 2: element in no namespace"},
      {"<stitching xmlns=\"http://hpn.east.isi.edu/rspec/ext/stitch/0.1/\"><path id=\"p\"><hop id=\"1\">"
       "<link id=\"x\"><switchingCapabilityDescriptor><switchingCapabilitySpecificInfo>"
       "<switchingCapabilitySpecificInfo_L2sc><suggestedVLANRange>5000</suggestedVLANRange>"
       "</switchingCapabilitySpecificInfo_L2sc></switchingCapabilitySpecificInfo>"
       "</switchingCapabilityDescriptor></link></hop></path></stitching>",
       "<suggestedVLANRange> at line 2: '5000' is not a VLAN range"},
  };
  for (const Case& each : cases) {
    CAPTURE(each.body);
    GeniError error = request_error(std::string(kOpen) + each.body + "</rspec>");
    CHECK(error.code() == GeniCode::kBadArgs);
    CHECK_MESSAGE(mentions(error, each.message), error.what());
  }
  GeniError root = request_error("<request xmlns=\"http://www.geni.net/resources/rspec/3\"/>");
  CHECK(root.code() == GeniCode::kBadArgs);
  CHECK(mentions(root, "<request> at line 1: the document element must be <rspec>"));
}

TEST_CASE("advertisements and manifests from peers are read leniently") {
  const std::string ad =
      "<rspec xmlns=\"http://www.geni.net/resources/rspec/3\" type=\"advertisement\">"
      "<node component_id=\"c\" exclusive=\"perhaps\"><hardware_type/></node></rspec>";
  RSpec parsed = parse_advertisement(ad);
  CHECK_FALSE(parsed.nodes.at(0).exclusive.has_value());
  CHECK(parsed.nodes[0].hardware_types.at(0).name.empty());
}

}  // namespace
}  // namespace federa::rspec
