#include "clearinghouse/certificate.h"

#include <doctest/doctest.h>
#include <openssl/x509_vfy.h>

#include <filesystem>

using namespace federa::trust;

namespace {

bool verifies(const Certificate& leaf, const Certificate& root) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  X509_STORE_add_cert(store.get(), root.get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  return X509_verify_cert(ctx.get()) == 1;
}

}  // namespace

TEST_CASE("an authority issues a GENI user certificate that chains to it") {
  const PrivateKey ca_key = generate_rsa_key();
  const Certificate ca = issue_certificate({.urn = "urn:publicid:IDN+example:lab+authority+sa", .is_ca = true},
                                           ca_key, nullptr, ca_key);
  const PrivateKey user_key = generate_rsa_key();
  const Certificate user = issue_certificate(
      {.urn = "urn:publicid:IDN+example:lab+user+alice", .email = "alice@example.org"}, user_key,
      &ca, ca_key);

  CHECK(ca.is_ca());
  CHECK_FALSE(user.is_ca());
  CHECK(user.urn() == std::optional<std::string>("urn:publicid:IDN+example:lab+user+alice"));
  CHECK(user.email() == std::optional<std::string>("alice@example.org"));
  REQUIRE(user.uuid());
  CHECK(user.uuid()->size() == 36);
  CHECK(user.subject().find("example//lab.user.alice") != std::string::npos);
  CHECK(verifies(user, ca));

  const PrivateKey other_key = generate_rsa_key();
  const Certificate other = issue_certificate({.urn = "urn:publicid:IDN+other+authority+sa", .is_ca = true},
                                              other_key, nullptr, other_key);
  CHECK_FALSE(verifies(user, other));
}

TEST_CASE("PEM chains and keys round trip through files") {
  const PrivateKey key = generate_rsa_key();
  const Certificate ca = issue_certificate({.urn = "urn:publicid:IDN+x+authority+am", .is_ca = true}, key,
                                           nullptr, key);
  const auto dir = std::filesystem::temp_directory_path() / "federa-cert-test";
  std::filesystem::create_directories(dir);
  write_file_atomically(dir / "chain.pem", ca.pem() + ca.pem(), std::filesystem::perms(0644));
  write_file_atomically(dir / "key.pem", private_key_pem(key), std::filesystem::perms(0600));
  CHECK(load_certificates_file(dir / "chain.pem").size() == 2);
  const auto key_permissions = std::filesystem::status(dir / "key.pem").permissions();
  CHECK((key_permissions & std::filesystem::perms::all) == std::filesystem::perms(0600));
  CHECK(EVP_PKEY_eq(load_private_key_file(dir / "key.pem").get(), key.get()) == 1);
  CHECK_THROWS(load_certificates_pem("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));
  CHECK_THROWS(load_certificates_pem(""));
  std::filesystem::remove_all(dir);
}
