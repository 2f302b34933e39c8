// The CRL a revocation produces: signed by the authority, naming exactly the revoked serials.
#include "clearinghouse/revocation_list.h"
#include "clearinghouse/ch_testing.h"

#include <doctest/doctest.h>

#include <openssl/pem.h>

namespace federa::ch::testing {
namespace {

using Crl = std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)>;

Crl parse_crl(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr), X509_CRL_free);
}

bool lists(X509_CRL* crl, const trust::Certificate& certificate) {
  X509_REVOKED* entry = nullptr;
  return X509_CRL_get0_by_cert(crl, &entry, certificate.get()) == 1;
}

TEST_CASE("the revocation list is signed by the authority and lists revoked member certificates only") {
  ChFixture ch;
  const IssuedMember alice = ch.member("alice");
  const IssuedMember bob = ch.member("bob");
  ch.members.revoke_member(alice.member.urn, now_utc());
  const Crl crl = parse_crl(revocation_list_pem(*ch.authority, ch.members.revocations(), now_utc()));
  REQUIRE(crl);
  CHECK(X509_CRL_verify(crl.get(), X509_get0_pubkey(ch.authority->certificate.get())) == 1);
  CHECK(X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(ch.authority->certificate.get())) == 0);
  CHECK(lists(crl.get(), trust::load_certificates_pem(alice.member.certificate).front()));
  CHECK_FALSE(lists(crl.get(), trust::load_certificates_pem(bob.member.certificate).front()));
  CHECK(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl.get())) == 1);
}

}  // namespace
}  // namespace federa::ch::testing
