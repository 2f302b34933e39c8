// TLS for federa's servers and clients (OpenSSL 3 through Asio SSL). Servers require a client
// certificate that chains to a trust root: every PEM file in the trust-roots directory, each
// root a trust anchor even when it is not self-signed (as the GENI reference AM treats them).
// Certificate revocation lists (PEM) in that directory are enforced for their issuers. TLS 1.2
// is the minimum. A context is immutable; reloading builds a new one (TlsContextHolder).
#pragma once

#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace federa::rpc {

struct ServerTlsConfig {
  std::filesystem::path certificate_chain;  // PEM: the server certificate, then its issuers
  std::filesystem::path private_key;        // PEM
  std::filesystem::path trust_roots_dir;    // every *.pem / *.crt file in it: trust roots and CRLs
};

struct ClientTlsConfig {
  std::filesystem::path certificate_chain;  // the experimenter's certificate (+ chain), PEM
  std::filesystem::path private_key;
};

using TlsContext = std::shared_ptr<boost::asio::ssl::context>;

// Throws std::runtime_error naming the file and OpenSSL's reason.
TlsContext make_server_tls_context(const ServerTlsConfig& config);
TlsContext make_client_tls_context(const ClientTlsConfig& config);

// The trust-root files found in a directory (sorted), as the server loads them.
std::vector<std::filesystem::path> trust_root_files(const std::filesystem::path& dir);

// The current server context; reload() swaps in a new one. Connections keep the context they
// were accepted with.
class TlsContextHolder {
 public:
  explicit TlsContextHolder(ServerTlsConfig config);
  TlsContext current() const;
  void reload();  // throws and keeps the old context when the new files are bad

 private:
  ServerTlsConfig config_;
  mutable std::mutex mutex_;
  TlsContext context_;
};

// The certificate chain a TLS peer presented: leaf first. Empty when it sent none.
struct PeerCertificates {
  std::vector<std::shared_ptr<X509>> chain;
  const X509* leaf() const { return chain.empty() ? nullptr : chain.front().get(); }
};

PeerCertificates peer_certificates(const SSL* ssl);

}  // namespace federa::rpc
