#include "clearinghouse/urn.h"

#include "common/geni_error.h"

#include <doctest/doctest.h>

using namespace federa::trust;

TEST_CASE("URNs parse into authority, type and name, with '+' allowed in the name") {
  const Urn urn = Urn::parse("urn:publicid:IDN+geni:gpo:gcf+node+switch+1+port+2");
  CHECK(urn.authority() == "geni:gpo:gcf");
  CHECK(urn.type() == "node");
  CHECK(urn.name() == "switch+1+port+2");
  CHECK(urn.authority_path() == std::vector<std::string>{"geni", "gpo", "gcf"});
  CHECK(Urn::parse("URN:PUBLICID:idn+Geni+user+Alice").str() == "urn:publicid:IDN+Geni+user+Alice");
}

TEST_CASE("URNs breaking the general or per-type rules are refused with BADARGS") {
  for (const char* bad : {"urn:publicid:IDN+geni+slice", "urn:publicid:geni+slice+x", "urn:publicid:IDN++slice+x",
                          "urn:publicid:IDN+geni::a+slice+x", "urn:publicid:IDN+geni+slice+a b",
                          "urn:publicid:IDN+geni+slice+a/b", "urn:publicid:IDN+geni+slice+-lead",
                          "urn:publicid:IDN+geni+slice+abcdefghijklmnopqrst", "urn:publicid:IDN+geni+user+9lives",
                          "urn:publicid:IDN+geni+user+toolongname", "urn:publicid:IDN+geni+sliver+a:b",
                          "urn:publicid:IDN+geni+node+", "urn:publicid:IDN+geni+ty pe+x"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(Urn::parse(bad), federa::GeniError);
    CHECK_FALSE(Urn::try_parse(bad));
  }
  CHECK(Urn::try_parse("urn:publicid:IDN+geni+slice+abcdefghijklmnopqrs"));  // 19 characters
  CHECK(Urn::try_parse("urn:publicid:IDN+geni+user+a_b12345"));
  CHECK(Urn::try_parse("urn:publicid:IDN+geni+sliver+0f2c-11.a_b"));
}

TEST_CASE("comparison: authority and type case-insensitive, slice and user names too, others exact") {
  CHECK(same_urn("urn:publicid:IDN+GENI:Lab+slice+Demo", "urn:publicid:IDN+geni:lab+slice+demo"));
  CHECK(same_urn("urn:publicid:IDN+geni+USER+alice", "urn:publicid:IDN+geni+user+ALICE"));
  CHECK_FALSE(same_urn("urn:publicid:IDN+geni+sliver+Ab", "urn:publicid:IDN+geni+sliver+ab"));
  CHECK_FALSE(same_urn("urn:publicid:IDN+geni+slice+demo", "urn:publicid:IDN+geni:lab+slice+demo"));
  CHECK_FALSE(same_urn("not a urn", "not a urn"));
}

TEST_CASE("the namespace rule: an authority vouches for its own authority string and below") {
  const Urn sa = Urn::parse("urn:publicid:IDN+geni:lab+authority+sa");
  CHECK(sa.is_authority_for(Urn::parse("urn:publicid:IDN+geni:lab+user+alice")));
  CHECK(sa.is_authority_for(Urn::parse("urn:publicid:IDN+GENI:lab:site+slice+x")));
  CHECK(sa.is_authority_for(sa));
  CHECK_FALSE(sa.is_authority_for(Urn::parse("urn:publicid:IDN+geni+user+alice")));
  CHECK_FALSE(sa.is_authority_for(Urn::parse("urn:publicid:IDN+geni:laboratory+user+alice")));
  CHECK_FALSE(Urn::parse("urn:publicid:IDN+geni:lab+user+alice").is_authority_for(sa));
}

TEST_CASE("publicid transcription follows RFC 3151 as gcf does") {
  CHECK(publicid_to_urn("IDN plc//princeton authority sa") == "urn:publicid:IDN+plc:princeton+authority+sa");
  CHECK(publicid_to_urn("  IDN gcf//gpo//gpolab   node switch 1 port 2 ") ==
        "urn:publicid:IDN+gcf:gpo:gpolab+node+switch+1+port+2");
  CHECK(publicid_to_urn("IDN a:b::c/d+e%f;g#h?i'j") == "urn:publicid:IDN+a%3Ab;c%2Fd%2Be%25f%3Bg%23h%3Fi%27j");
  CHECK(urn_to_publicid("urn:publicid:IDN+a%3Ab;c%2Fd%2Be%25f%3Bg%23h%3Fi%27j") == "IDN a:b::c/d+e%f;g#h?i'j");
  CHECK(urn_to_publicid("urn:publicid:IDN+geni:gpo+user+alice") == "IDN geni//gpo user alice");
}
