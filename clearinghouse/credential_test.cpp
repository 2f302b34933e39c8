#include "clearinghouse/credential.h"

#include "clearinghouse/credential_verifier.h"
#include "clearinghouse/test_pki.h"

#include <doctest/doctest.h>

using namespace federa::trust;
using namespace federa::trust::testing;
using federa::GeniCode;
using federa::GeniError;

namespace {

GeniCode verification_code(const std::string& xml) {
  return code_of([&] { verify_credential(SignedCredential::parse(xml), *pki().roots, federa::now_utc()); });
}

}  // namespace

TEST_CASE("an issued slice credential parses back and verifies, with RSA-SHA256 and RSA-SHA1") {
  for (auto algorithm : {SignatureAlgorithm::kRsaSha256, SignatureAlgorithm::kRsaSha1}) {
    const auto expires = hours_from_now(2);
    const std::string xml = slice_credential(pki().alice, expires, slice_privileges(), nullptr, algorithm);
    CHECK(xml.find(algorithm == SignatureAlgorithm::kRsaSha1 ? "xmldsig#rsa-sha1" : "xmldsig-more#rsa-sha256") !=
          std::string::npos);
    const auto document = SignedCredential::parse(xml);
    const Credential& credential = document.credential();
    CHECK(credential.type == "privilege");
    CHECK(credential.owner_urn == pki().alice.urn());
    CHECK(credential.target_urn == pki().slice.urn());
    CHECK(credential.owner_gid.size() == 2);
    CHECK(credential.expires == expires);
    CHECK(privilege_names(credential.privileges) == "refresh,embed,bind,control,info");
    CHECK_FALSE(credential.parent);
    const auto verified = verify_credential(document, *pki().roots, federa::now_utc());
    CHECK(verified.expires == expires);
    CHECK(verified.valid_until == expires);
    CHECK(*verified.signer.front().urn() == pki().sa.urn());
  }
}

TEST_CASE("'*' privileges expand for the target and a target given only by URN is accepted") {
  const CredentialSpec spec{.owner = pki().alice.chain, .target = {}, .target_urn = "urn:publicid:IDN+geni:lab+slice+other",
                            .privileges = {{"*", true}}, .expires = hours_from_now(1)};
  const auto document = SignedCredential::parse(issue_credential(spec, pki().sa.signer()));
  CHECK(privilege_names(document.credential().privileges) == "refresh,embed,bind,control,info");
  CHECK(document.credential().target_gid.empty());
  CHECK(verification_code(issue_credential(spec, pki().sa.signer())) == GeniCode::kSuccess);
}

TEST_CASE("a delegation chain parses and verifies each signature and rule") {
  const std::string parent = slice_credential(pki().alice, hours_from_now(3));
  const CredentialSpec narrower{.owner = pki().bob.chain, .privileges = {{"info", false}, {"control", false}},
                                .expires = hours_from_now(2)};
  const std::string child = delegate_credential(parent, narrower, pki().alice.signer());
  const auto document = SignedCredential::parse(child);
  REQUIRE(document.credential().parent);
  CHECK(document.credential().owner_urn == pki().bob.urn());
  CHECK(document.credential().target_urn == pki().slice.urn());
  CHECK(document.credential().parent->owner_urn == pki().alice.urn());
  CHECK(verification_code(child) == GeniCode::kSuccess);

  SUBCASE("widening privileges") {
    const CredentialSpec wider{.owner = pki().bob.chain, .privileges = {{"info", false}, {"operator", false}},
                               .expires = hours_from_now(2)};
    CHECK(verification_code(delegate_credential(parent, wider, pki().alice.signer())) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("re-delegating a privilege that was not delegatable") {
    const std::string again = delegate_credential(child, {.owner = pki().alice.chain, .privileges = {{"info", false}},
                                                          .expires = hours_from_now(1)},
                                                  pki().bob.signer());
    CHECK(verification_code(again) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("extending the expiry") {
    const CredentialSpec later{.owner = pki().bob.chain, .privileges = {{"info", false}}, .expires = hours_from_now(4)};
    CHECK(verification_code(delegate_credential(parent, later, pki().alice.signer())) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("signed by someone other than the parent's owner") {
    CHECK(verification_code(delegate_credential(parent, narrower, pki().bob.signer())) == GeniCode::kCredentialInvalid);
  }
  SUBCASE("tampering with the embedded parent breaks its signature") {
    CHECK(verification_code(replaced(child, "<name>embed</name>", "<name>embxd</name>")) == GeniCode::kCredentialInvalid);
  }
}

TEST_CASE("malformed credential documents are CREDENTIAL_INVALID parse errors") {
  const std::string good = slice_credential(pki().alice, hours_from_now(1));
  const std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
      "<signed-credential><credential xml:id=\"ref0\"><type>&lol2;</type></credential></signed-credential>";
  const std::string duplicate_id = replaced(good, "<signatures>", "<signatures><x xml:id=\"" +
                                                                      SignedCredential::parse(good).credential().id + "\"/>");
  for (const std::string& bad :
       {std::string("not xml"), bomb, std::string("<credential/>"), duplicate_id,
        replaced(good, "<type>privilege</type>", "<type>magic</type>"),
        replaced(good, "<expires>", "<expires>soon"),
        replaced(good, "<owner_urn>urn:publicid:IDN+geni:lab+user+alice", "<owner_urn>urn:publicid:IDN+geni:lab+user+bob"),
        replaced(good, "-----BEGIN CERTIFICATE-----\nMII", "-----BEGIN CERTIFICATE-----\n!!!")}) {
    CAPTURE(bad.substr(0, 120));
    CHECK_THROWS_AS(SignedCredential::parse(bad), CredentialParseError);
  }
}

TEST_CASE("verification refusals carry their GENI codes") {
  const std::string good = slice_credential(pki().alice, hours_from_now(1));
  CHECK(verification_code(good) == GeniCode::kSuccess);
  CHECK(verification_code(replaced(good, "<name>info</name>", "<name>operator</name>")) == GeniCode::kCredentialInvalid);
  const auto value_at = good.find("<SignatureValue>") + 20;
  std::string bad_signature = good;
  bad_signature[value_at] = bad_signature[value_at] == 'A' ? 'B' : 'A';
  CHECK(verification_code(bad_signature) == GeniCode::kCredentialInvalid);
  CHECK(verification_code(slice_credential(pki().alice, hours_from_now(-1))) == GeniCode::kCredentialExpired);
  CHECK(verification_code(slice_credential(pki().alice, hours_from_now(1), slice_privileges(), &pki().rogue)) ==
        GeniCode::kCredentialSignerUntrusted);
  // A user may not issue a slice credential: only an authority over the slice's namespace.
  CHECK(verification_code(slice_credential(pki().alice, hours_from_now(1), slice_privileges(), &pki().alice)) ==
        GeniCode::kCredentialSignerUntrusted);
}

TEST_CASE("signatures may not reach outside the document or use transforms beyond enveloped + C14N") {
  const std::string good = slice_credential(pki().alice, hours_from_now(1));
  const std::string id = SignedCredential::parse(good).credential().id;
  const std::string external = replaced(good, "URI=\"#" + id + "\"", "URI=\"file:///etc/hostname\"");
  const std::string xslt = replaced(good, "<Transforms>",
                                    "<Transforms><Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>");
  for (const std::string& bad : {external, xslt}) {
    try {
      verify_credential(SignedCredential::parse(bad), *pki().roots, federa::now_utc());
      FAIL("a signature with a forbidden reference or transform was accepted");
    } catch (const GeniError& error) {
      CHECK(error.code() == GeniCode::kCredentialInvalid);
      CHECK(std::string(error.what()).find("cannot process signature") != std::string::npos);
    }
  }
}
