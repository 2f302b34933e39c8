// The member authority over a real store (SQLite, or PostgreSQL under ch_pg_test).
#include "clearinghouse/ch_testing.h"
#include "clearinghouse/credential_verifier.h"

#include <doctest/doctest.h>

namespace federa::ch::testing {
namespace {

using trust::testing::pki;

TEST_CASE("a new member gets a certificate from the authority that the federation's roots accept") {
  ChFixture ch;
  const IssuedMember alice = ch.members.create_member({.username = "alice", .email = "alice@example.org"}, now_utc());
  CHECK(alice.member.urn == "urn:publicid:IDN+geni:lab+user+alice");
  CHECK(alice.private_key_pem.find("PRIVATE KEY") != std::string::npos);
  const auto chain = trust::load_certificates_pem(alice.certificate_chain_pem);
  REQUIRE(chain.size() == 2);
  CHECK(chain.front().email() == "alice@example.org");
  CHECK(pki().roots->verify(chain, now_utc()).subject.str() == alice.member.urn);
  CHECK(ch.members.authenticate("urn:publicid:IDN+geni:lab+user+ALICE").username == "alice");
}

TEST_CASE("usernames are unique and must be valid URN names") {
  ChFixture ch;
  ch.member("alice");
  CHECK(ch_code_of([&] { ch.member("alice"); }) == ChCode::kDuplicate);
  CHECK(ch_code_of([&] { ch.member("9lives"); }) == ChCode::kArgument);
  CHECK(ch_code_of([&] { ch.member("much_too_long"); }) == ChCode::kArgument);
}

TEST_CASE("a member may upload a public key instead of receiving a generated one") {
  ChFixture ch;
  const trust::PrivateKey own_key = trust::generate_rsa_key();
  const IssuedMember bob = ch.members.create_member(
      {.username = "bob", .email = "", .first_name = "", .last_name = "", .public_key_pem = public_key_pem(own_key)},
      now_utc());
  CHECK(bob.private_key_pem.empty());
  const auto certificate = trust::load_certificates_pem(bob.member.certificate).front();
  CHECK(EVP_PKEY_eq(X509_get0_pubkey(certificate.get()), own_key.get()) == 1);
  CHECK(ch_code_of([&] {
          ch.members.create_member({.username = "carol", .public_key_pem = "not a key"}, now_utc());
        }) == ChCode::kArgument);
}

TEST_CASE("unknown and revoked members cannot authenticate; revocations are listed for the CRL") {
  ChFixture ch;
  const IssuedMember alice = ch.member("alice");
  CHECK(ch_code_of([&] { ch.members.authenticate("urn:publicid:IDN+geni:lab+user+nobody"); }) ==
        ChCode::kAuthentication);
  const RevokedCertificate revoked = ch.members.revoke_member(alice.member.urn, now_utc());
  CHECK(revoked.serial == serial_hex(trust::load_certificates_pem(alice.member.certificate).front()));
  CHECK(ch_code_of([&] { ch.members.authenticate(alice.member.urn); }) == ChCode::kAuthentication);
  CHECK(ch.members.revoke_member(alice.member.urn, now_utc()).revoked_at == revoked.revoked_at);
  const auto revocations = ch.members.revocations();
  REQUIRE(revocations.size() == 1);
  CHECK(revocations.front().member_urn == alice.member.urn);
  CHECK(ch_code_of([&] { ch.members.revoke_member("urn:publicid:IDN+geni:lab+user+nobody", now_utc()); }) ==
        ChCode::kArgument);
}

TEST_CASE("a member gets a verifiable user credential for themselves only") {
  ChFixture ch;
  const Member alice = ch.member("alice").member;
  const Member bob = ch.member("bob").member;
  const std::string xml = ch.members.user_credential(alice, alice.urn, now_utc());
  const auto verified = trust::verify_credential(trust::SignedCredential::parse(xml), *pki().roots, now_utc());
  CHECK(verified.credential->owner_urn == alice.urn);
  CHECK(verified.credential->target_urn == alice.urn);
  CHECK(verified.expires <= now_utc() + std::chrono::hours(24 * 30));
  CHECK(ch_code_of([&] { ch.members.user_credential(bob, alice.urn, now_utc()); }) == ChCode::kAuthorization);
}

TEST_CASE("members manage their own SSH keys; public keys are readable by all") {
  ChFixture ch;
  const Member alice = ch.member("alice").member;
  const Member bob = ch.member("bob").member;
  const MemberKey key = ch.members.add_key(alice, {"", alice.urn, "ssh-ed25519 AAAAC3Nz alice@laptop", "", "laptop"});
  CHECK(key.id.size() == 32);
  CHECK(ch_code_of([&] {
          ch.members.add_key(alice, {"", alice.urn, "ssh-ed25519 AAAAC3Nz alice@laptop", "", ""});
        }) == ChCode::kDuplicate);
  CHECK(ch_code_of([&] {
          ch.members.add_key(bob, {"", alice.urn, "ssh-rsa AAAA bob", "", ""});
        }) == ChCode::kAuthorization);
  CHECK(ch_code_of([&] { ch.members.add_key(alice, {"", alice.urn, "two\nlines", "", ""}); }) == ChCode::kArgument);
  const auto keys = ch.members.lookup_keys({alice.urn});
  REQUIRE(keys.size() == 1);
  CHECK(keys.front().description == "laptop");
  CHECK(ch.members.lookup_keys({bob.urn}).empty());
  CHECK(ch_code_of([&] { ch.members.delete_key(bob, key.id); }) == ChCode::kAuthorization);
  ch.members.delete_key(alice, key.id);
  CHECK(ch.members.lookup_keys({}).empty());
}

TEST_CASE("identifying information is shared with members of a common slice, and operators") {
  ChFixture ch;
  const Member alice = ch.member("alice").member;
  const Member bob = ch.member("bob").member;
  const Member root = ch.member("root", true).member;
  CHECK(ch.members.may_see_identifying(alice, alice.urn));
  CHECK_FALSE(ch.members.may_see_identifying(bob, alice.urn));
  CHECK(ch.members.may_see_identifying(root, alice.urn));
  const Slice slice = ch.slices.create_slice(alice, {.name = "shared"}, now_utc());
  ch.slices.modify_membership(MembershipTable::kSlice, alice, slice.urn, {.add = {{bob.urn, Role::kMember}}});
  CHECK(ch.members.may_see_identifying(bob, alice.urn));
}

}  // namespace
}  // namespace federa::ch::testing
