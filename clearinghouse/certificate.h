// GENI identity certificates (X.509 v3, OpenSSL 3). A GENI certificate names its subject by URN in
// subjectAltName (`URI:urn:publicid:IDN+...`), with `URI:urn:uuid:<uuid>` and optionally
// `email:<addr>`. Authorities (slice authority, clearinghouse, aggregate) are CA certificates
// (basicConstraints critical CA:TRUE); experimenters get leaf certificates usable for TLS client
// authentication. Keys are RSA 2048 and signatures SHA-256, as the reference tools make them.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::trust {

using PrivateKey = std::shared_ptr<EVP_PKEY>;

class Certificate {
 public:
  explicit Certificate(std::shared_ptr<X509> x509);

  X509* get() const { return x509_.get(); }
  std::shared_ptr<X509> shared() const { return x509_; }

  // The GENI URN from subjectAltName (first URI with the urn:publicid:IDN+ prefix,
  // case-insensitively), or nullopt for a certificate that carries none.
  std::optional<std::string> urn() const;
  std::optional<std::string> uuid() const;
  std::optional<std::string> email() const;
  std::string subject() const;
  bool is_ca() const;
  std::chrono::system_clock::time_point not_before() const;
  std::chrono::system_clock::time_point not_after() const;
  std::string pem() const;

 private:
  std::shared_ptr<X509> x509_;
};

// What a new certificate says about its subject.
struct CertificateSpec {
  std::string urn;    // urn:publicid:IDN+<authority>+<type>+<name>
  std::string email;  // optional
  bool is_ca = false;
  std::chrono::hours lifetime = std::chrono::hours(24 * 365);
  std::chrono::seconds backdate = std::chrono::seconds(0);  // not_before = now - backdate
};

PrivateKey generate_rsa_key(int bits = 2048);

// Issues a certificate for `subject_key` signed by `issuer_key`; self-signed when `issuer` is null.
// The subject CN is "<authority>.<type>.<name>" truncated to 64 characters (informational only).
Certificate issue_certificate(const CertificateSpec& spec, const PrivateKey& subject_key,
                              const Certificate* issuer, const PrivateKey& issuer_key);

// Every certificate in a PEM text, in order (leaf first in a chain file). Throws on bad PEM.
std::vector<Certificate> load_certificates_pem(std::string_view pem);
std::vector<Certificate> load_certificates_file(const std::filesystem::path& file);
PrivateKey load_private_key_file(const std::filesystem::path& file);

std::string private_key_pem(const PrivateKey& key);

// Writes a file atomically (temp file + rename) with the given permissions (keys: 0600).
void write_file_atomically(const std::filesystem::path& file, std::string_view content,
                           std::filesystem::perms permissions);

}  // namespace federa::trust
