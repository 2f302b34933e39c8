#include "clearinghouse/authorizer.h"

#include "clearinghouse/test_pki.h"
#include "common/geni_error.h"

#include <doctest/doctest.h>

using namespace federa::trust;
using namespace federa::trust::testing;
using federa::GeniCode;
using federa::GeniError;
using federa::Timestamp;

namespace {

const std::string kSlice = "urn:publicid:IDN+geni:lab+slice+demo";

WireCredential sfa(std::string xml) { return {"geni_sfa", "3", std::move(xml)}; }

AuthorizationRequest request(const Identity& caller, std::vector<WireCredential> credentials,
                             std::string operation = "createsliver", std::optional<std::string> slice = kSlice) {
  return {caller.chain, std::move(slice), std::move(operation), std::move(credentials), std::nullopt};
}

Authorizer make_authorizer() { return Authorizer(pki().roots, std::make_shared<CredentialCache>()); }

GeniCode refusal(const AuthorizationRequest& req) {
  return code_of([&] { make_authorizer().authorize(req); });
}

std::string speaks_for(const Identity& user, const Identity& tool, Timestamp expires) {
  return sign_credential(speaks_for_template(user.cert(), tool.cert(), expires, SignatureAlgorithm::kRsaSha1),
                         user.signer());
}

}  // namespace

TEST_CASE("a slice credential owned by the caller authorizes slice operations and reports its expiry") {
  const auto expires = hours_from_now(5);
  const std::string credential = slice_credential(pki().alice, expires);
  for (const char* operation : {"createsliver", "deleteslice", "getsliceresources", "renewsliver", "shutdown"}) {
    const auto result = make_authorizer().authorize(request(pki().alice, {sfa(credential)}, operation));
    CHECK(result.caller.str() == pki().alice.urn());
    CHECK(result.expires == expires);
    CHECK_FALSE(result.tool);
  }
  // v2: a bare string; the slice URN compares case-insensitively.
  const auto v2 = make_authorizer().authorize(
      request(pki().alice, {WireCredential::from_v2(credential)}, "renewsliver", "urn:publicid:IDN+GENI:LAB+slice+DEMO"));
  CHECK(v2.expires == expires);
}

TEST_CASE("the earliest expiry of the authorizing credentials is reported") {
  const auto early = hours_from_now(1);
  const auto result = make_authorizer().authorize(request(
      pki().alice, {sfa(slice_credential(pki().alice, hours_from_now(6))), sfa(slice_credential(pki().alice, early))}));
  CHECK(result.expires == early);
}

TEST_CASE("ListResources: no slice, no operation, no credential needed; a user credential must still be valid") {
  const auto result = make_authorizer().authorize(request(pki().bob, {}, "", std::nullopt));
  CHECK(result.caller.str() == pki().bob.urn());
  CHECK_FALSE(result.expires);
  CHECK(refusal(request(pki().bob, {}, "createsliver")) == GeniCode::kForbidden);
  CHECK(refusal(request(pki().bob, {sfa(slice_credential(pki().bob, hours_from_now(-1)))}, "", std::nullopt)) ==
        GeniCode::kCredentialExpired);
}

TEST_CASE("the refusal matrix") {
  const Pki& p = pki();
  const std::string good = slice_credential(p.alice, hours_from_now(2));
  REQUIRE(refusal(request(p.alice, {sfa(good)})) == GeniCode::kSuccess);

  SUBCASE("tampered content") {
    CHECK(refusal(request(p.alice, {sfa(replaced(good, "<name>info</name>", "<name>operator</name>"))})) ==
          GeniCode::kCredentialInvalid);
  }
  SUBCASE("tampered signature") {
    std::string bad = good;
    const auto at = bad.find("<SignatureValue>") + 30;
    bad[at] = bad[at] == 'Q' ? 'R' : 'Q';
    CHECK(refusal(request(p.alice, {sfa(bad)})) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("expired") {
    CHECK(refusal(request(p.alice, {sfa(slice_credential(p.alice, hours_from_now(-1)))})) == GeniCode::kCredentialExpired);
  }
  SUBCASE("signer not trusted") {
    CHECK(refusal(request(p.alice, {sfa(slice_credential(p.alice, hours_from_now(1), slice_privileges(), &p.rogue))})) ==
          GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("owner is not the caller") {
    CHECK(refusal(request(p.bob, {sfa(good)})) == GeniCode::kCredentialMismatch);
  }
  SUBCASE("credential for another slice") {
    CHECK(refusal(request(p.alice, {sfa(good)}, "createsliver", "urn:publicid:IDN+geni:lab+slice+other")) ==
          GeniCode::kCredentialMismatch);
  }
  SUBCASE("privilege missing") {
    const std::string info_only = slice_credential(p.alice, hours_from_now(1), {{"info", false}});
    CHECK(refusal(request(p.alice, {sfa(info_only)})) == GeniCode::kForbidden);
    const std::string control_only = slice_credential(p.alice, hours_from_now(1), {{"control", false}});
    CHECK(refusal(request(p.alice, {sfa(control_only)}, "shutdown")) == GeniCode::kForbidden);
  }
  SUBCASE("delegation that widens privileges") {
    const std::string parent = slice_credential(p.alice, hours_from_now(2), {{"info", true}});
    const std::string child = delegate_credential(
        parent, {.owner = p.bob.chain, .privileges = {{"info", false}, {"control", false}}, .expires = hours_from_now(1)},
        p.alice.signer());
    CHECK(refusal(request(p.bob, {sfa(child)})) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("delegation that extends expiry") {
    const std::string child = delegate_credential(
        good, {.owner = p.bob.chain, .privileges = {{"control", false}}, .expires = hours_from_now(3)}, p.alice.signer());
    CHECK(refusal(request(p.bob, {sfa(child)})) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("a valid 2-level delegation authorizes the final owner only") {
    const std::string to_bob = delegate_credential(
        good, {.owner = p.bob.chain, .privileges = {{"control", true}, {"info", true}}, .expires = hours_from_now(1)},
        p.alice.signer());
    const std::string to_tool = delegate_credential(
        to_bob, {.owner = p.tool.chain, .privileges = {{"control", false}}, .expires = hours_from_now(1)}, p.bob.signer());
    CHECK(refusal(request(p.bob, {sfa(to_bob)})) == GeniCode::kSuccess);
    CHECK(refusal(request(p.tool, {sfa(to_tool)})) == GeniCode::kSuccess);
    CHECK(refusal(request(p.bob, {sfa(to_tool)})) == GeniCode::kCredentialMismatch);
    CHECK(refusal(request(p.tool, {sfa(to_tool)}, "shutdown")) == GeniCode::kForbidden);
  }
  SUBCASE("signer chain whose intermediate is not a CA") {
    const Identity not_ca = make_identity("urn:publicid:IDN+geni:lab+authority+ma", false, &p.sa);
    const Identity signer = make_identity("urn:publicid:IDN+geni:lab+authority+sa", true, &not_ca);
    CHECK(refusal(request(p.alice, {sfa(slice_credential(p.alice, hours_from_now(1), slice_privileges(), &signer))})) ==
          GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("authority signing outside its namespace") {
    const Identity other_sa = make_identity("urn:publicid:IDN+geni:lab:other+authority+sa", true, &p.sa);
    CHECK(refusal(request(p.alice, {sfa(slice_credential(p.alice, hours_from_now(1), slice_privileges(), &other_sa))})) ==
          GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("unknown geni_type, unsupported version, mismatched type") {
    CHECK(refusal(request(p.alice, {sfa(good), {"geni_magic", "1", good}})) == GeniCode::kCredentialInvalid);
    CHECK(refusal(request(p.alice, {{"geni_sfa", "9", good}})) == GeniCode::kCredentialInvalid);
    CHECK(refusal(request(p.alice, {{"geni_abac", "1", good}})) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("an unparsable credential is an error even next to a good one") {
    CHECK(refusal(request(p.alice, {sfa(good), sfa("<signed-credential>")})) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("XML bomb inside a credential") {
    const std::string bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">"
                             "<!ENTITY c \"&b;&b;&b;&b;&b;\">]><signed-credential><credential xml:id=\"r\"><type>&c;</type>"
                             "</credential></signed-credential>";
    CHECK(refusal(request(p.alice, {sfa(bomb)})) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("caller certificate not trusted") {
    const Identity mallory = make_identity("urn:publicid:IDN+geni:lab+user+alice", false, &p.rogue);
    CHECK(refusal(request(mallory, {sfa(good)})) == GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("one good credential among refused ones suffices; otherwise the most specific refusal wins") {
    CHECK(refusal(request(p.alice, {sfa(slice_credential(p.alice, hours_from_now(-1))), sfa(good)})) == GeniCode::kSuccess);
    CHECK(refusal(request(p.bob, {sfa(slice_credential(p.bob, hours_from_now(-1))), sfa(good)})) ==
          GeniCode::kCredentialMismatch);
  }
}

TEST_CASE("speaks-for: a tool with the user's ABAC credential acts as the user") {
  const Pki& p = pki();
  const std::string slice = slice_credential(p.alice, hours_from_now(3));
  const auto abac_expires = hours_from_now(1);
  const WireCredential abac{"geni_abac", "1", speaks_for(p.alice, p.tool, abac_expires)};
  auto req = request(p.tool, {sfa(slice), abac});
  req.speaking_for = p.alice.urn();
  const auto result = make_authorizer().authorize(req);
  CHECK(result.caller.str() == p.alice.urn());
  REQUIRE(result.tool);
  CHECK(result.tool->str() == p.tool.urn());
  CHECK(result.expires == abac_expires);

  SUBCASE("without the option the tool is itself") { req.speaking_for.reset(); CHECK(refusal(req) == GeniCode::kCredentialMismatch); }
  SUBCASE("for another user") { req.speaking_for = p.bob.urn(); CHECK(refusal(req) == GeniCode::kCredentialMismatch); }
  SUBCASE("by another tool") {
    auto other = request(p.bob, {sfa(slice), abac});
    other.speaking_for = p.alice.urn();
    CHECK(refusal(other) == GeniCode::kCredentialMismatch);
  }
  SUBCASE("expired") {
    req.credentials[1].value = speaks_for(p.alice, p.tool, hours_from_now(-1));
    CHECK(refusal(req) == GeniCode::kCredentialExpired);
  }
  SUBCASE("no ABAC credential") {
    req.credentials.pop_back();
    CHECK(refusal(req) == GeniCode::kCredentialMismatch);
  }
  SUBCASE("signed by someone else than the user it names") {
    req.credentials[1].value =
        sign_credential(speaks_for_template(p.alice.cert(), p.tool.cert(), abac_expires, SignatureAlgorithm::kRsaSha256),
                        p.bob.signer());
    req.speaking_for = p.bob.urn();
    CHECK(refusal(req) == GeniCode::kCredentialInvalid);
  }
}

TEST_CASE("refusal messages say what failed and for whom") {
  const std::string credential = slice_credential(pki().alice, hours_from_now(1));
  try {
    make_authorizer().authorize(request(pki().bob, {sfa(credential)}));
    FAIL("bob used alice's credential");
  } catch (const GeniError& error) {
    const std::string message = error.what();
    CHECK(message.find("owned by " + pki().alice.urn()) != std::string::npos);
    CHECK(message.find("not by the caller " + pki().bob.urn()) != std::string::npos);
  }
}
