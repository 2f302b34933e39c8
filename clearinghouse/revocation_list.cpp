#include "clearinghouse/revocation_list.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace federa::ch {
namespace {

template <class T>
T* check(T* value, const char* what) {
  if (!value) throw std::runtime_error(std::string("revocation list: ") + what + " failed");
  return value;
}

void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("revocation list: ") + what + " failed");
}

using Time = std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)>;

Time asn1_time(Timestamp time) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  return Time(check(ASN1_TIME_set(nullptr, static_cast<time_t>(seconds)), "ASN1_TIME_set"), ASN1_TIME_free);
}

X509_REVOKED* revoked_entry(const RevokedCertificate& revoked) {
  std::unique_ptr<X509_REVOKED, decltype(&X509_REVOKED_free)> entry(check(X509_REVOKED_new(), "X509_REVOKED_new"),
                                                                    X509_REVOKED_free);
  BIGNUM* number = nullptr;
  check(BN_hex2bn(&number, revoked.serial.c_str()) > 0 ? 1 : 0, "serial number");
  std::unique_ptr<BIGNUM, decltype(&BN_free)> owned(number, BN_free);
  std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> serial(
      check(BN_to_ASN1_INTEGER(number, nullptr), "BN_to_ASN1_INTEGER"), ASN1_INTEGER_free);
  check(X509_REVOKED_set_serialNumber(entry.get(), serial.get()), "set serial");
  check(X509_REVOKED_set_revocationDate(entry.get(), asn1_time(revoked.revoked_at).get()), "set date");
  return entry.release();
}

}  // namespace

std::string revocation_list_pem(const AuthorityIdentity& authority, const std::vector<RevokedCertificate>& revoked,
                                Timestamp now, std::chrono::hours next_update) {
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(check(X509_CRL_new(), "X509_CRL_new"), X509_CRL_free);
  check(X509_CRL_set_version(crl.get(), 1), "set version");
  check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(authority.certificate.get())), "set issuer");
  check(X509_CRL_set1_lastUpdate(crl.get(), asn1_time(now).get()), "set lastUpdate");
  check(X509_CRL_set1_nextUpdate(crl.get(), asn1_time(now + next_update).get()), "set nextUpdate");
  for (const RevokedCertificate& entry : revoked) check(X509_CRL_add0_revoked(crl.get(), revoked_entry(entry)), "add");
  check(X509_CRL_sort(crl.get()), "sort");
  check(X509_CRL_sign(crl.get(), authority.key.get(), EVP_sha256()) > 0 ? 1 : 0, "sign");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(check(BIO_new(BIO_s_mem()), "BIO_new"), BIO_free);
  check(PEM_write_bio_X509_CRL(bio.get(), crl.get()), "PEM_write_bio_X509_CRL");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace federa::ch
