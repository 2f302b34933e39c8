#include "clearinghouse/trust_roots.h"

#include "clearinghouse/test_pki.h"
#include "common/geni_error.h"

#include <doctest/doctest.h>

#include <filesystem>

using namespace federa::trust;
using namespace federa::trust::testing;
using federa::GeniCode;
using federa::GeniError;

namespace {

GeniCode refusal(const TrustRoots& roots, const std::vector<Certificate>& chain) {
  return code_of([&] { roots.verify(chain, federa::now_utc()); });
}

}  // namespace

TEST_CASE("a user chain verifies to the authority that issued it") {
  const auto verified = pki().roots->verify(pki().alice.chain, federa::now_utc());
  CHECK(verified.subject.str() == pki().alice.urn());
  CHECK(verified.path.size() == 2);
  CHECK(verified.not_after <= hours_from_now(24 * 366));
  // The leaf alone suffices when the issuer is a root.
  CHECK(refusal(*pki().roots, {pki().alice.cert()}) == GeniCode::kSuccess);
  CHECK(refusal(*pki().roots, pki().sa.chain) == GeniCode::kSuccess);
}

TEST_CASE("chains that must not verify are refused as CREDENTIAL_SIGNER_UNTRUSTED") {
  const Pki& p = pki();
  SUBCASE("issued by an untrusted look-alike authority") {
    const Identity mallory = make_identity("urn:publicid:IDN+geni:lab+user+mallory", false, &p.rogue);
    CHECK(refusal(*p.roots, mallory.chain) == GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("an intermediate that is not a CA") {
    const Identity fake = make_identity("urn:publicid:IDN+geni:lab+user+eve", false, &p.alice);
    CHECK(refusal(*p.roots, fake.chain) == GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("a sub-authority vouching outside its namespace") {
    const Identity site = make_identity("urn:publicid:IDN+geni:lab:site+authority+sa", true, &p.sa);
    const Identity inside = make_identity("urn:publicid:IDN+geni:lab:site+user+carol", false, &site);
    const Identity outside = make_identity("urn:publicid:IDN+geni:other+user+carol", false, &site);
    CHECK(refusal(*p.roots, inside.chain) == GeniCode::kSuccess);
    CHECK(refusal(*p.roots, outside.chain) == GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("a root vouching outside its namespace") {
    const Identity outside = make_identity("urn:publicid:IDN+geni:other+user+dave", false, &p.sa);
    CHECK(refusal(*p.roots, outside.chain) == GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("a certificate without a GENI URN") {
    Identity plain{generate_rsa_key(), {}};
    plain.chain.push_back(issue_certificate({.urn = "urn:uuid:00000000-0000-4000-8000-000000000000"}, plain.key, &p.sa.cert(), p.sa.key));
    CHECK(refusal(*p.roots, plain.chain) == GeniCode::kCredentialSignerUntrusted);
  }
  SUBCASE("expired") {
    Identity old{generate_rsa_key(), {}};
    old.chain.push_back(issue_certificate({.urn = "urn:publicid:IDN+geni:lab+user+old",
                                           .lifetime = std::chrono::hours(1), .backdate = std::chrono::hours(2)},
                                          old.key, &p.sa.cert(), p.sa.key));
    CHECK(refusal(*p.roots, old.chain) == GeniCode::kCredentialSignerUntrusted);
  }
  CHECK(refusal(*p.roots, {}) == GeniCode::kCredentialSignerUntrusted);
}

TEST_CASE("roots load from a directory and reload with a new generation; a bad reload keeps them") {
  const auto dir = std::filesystem::temp_directory_path() / "federa-trust-roots-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  write_file_atomically(dir / "sa.pem", pki().sa.cert().pem(), std::filesystem::perms(0644));
  write_file_atomically(dir / "README", "not a certificate", std::filesystem::perms(0644));
  const auto roots = TrustRoots::load_directory(dir);
  CHECK(roots->generation() == 1);
  CHECK(roots->roots().size() == 1);
  CHECK(refusal(*roots, pki().alice.chain) == GeniCode::kSuccess);

  write_file_atomically(dir / "rogue.crt", pki().rogue.cert().pem(), std::filesystem::perms(0644));
  roots->reload();
  CHECK(roots->generation() == 2);
  CHECK(roots->roots().size() == 2);

  write_file_atomically(dir / "broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                        std::filesystem::perms(0644));
  CHECK_THROWS(roots->reload());
  CHECK(roots->generation() == 2);
  CHECK(refusal(*roots, pki().alice.chain) == GeniCode::kSuccess);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  CHECK_THROWS(TrustRoots::load_directory(dir));
  std::filesystem::remove_all(dir);
}
