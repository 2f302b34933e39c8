#include "rpc/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <stdexcept>

namespace federa::rpc {
namespace {

namespace ssl = boost::asio::ssl;

[[noreturn]] void throw_tls(const std::string& what) {
  char reason[256] = "unknown reason";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error(what + ": " + reason);
}

void load_identity(ssl::context& context, const std::filesystem::path& chain,
                   const std::filesystem::path& key) {
  SSL_CTX* ctx = context.native_handle();
  if (SSL_CTX_use_certificate_chain_file(ctx, chain.c_str()) != 1) {
    throw_tls("cannot load certificate chain " + chain.string());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw_tls("cannot load private key " + key.string());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    throw_tls("private key " + key.string() + " does not match " + chain.string());
  }
}

void load_trust_roots(ssl::context& context, const std::filesystem::path& dir) {
  X509_STORE* store = SSL_CTX_get_cert_store(context.native_handle());
  const auto files = trust_root_files(dir);
  if (files.empty()) throw std::runtime_error("no trust roots (*.pem, *.crt) in " + dir.string());
  for (const auto& file : files) {
    if (X509_STORE_load_file(store, file.c_str()) != 1) throw_tls("cannot load trust root " + file.string());
  }
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
}

// Revocation: a CRL found among the trust-root files is enforced for its issuer; an issuer that
// publishes none is not refused for the lack of one (federations mix authorities with and
// without CRLs). Every other verification error stands.
int verify_allowing_missing_crl(int preverified, X509_STORE_CTX* ctx) {
  if (!preverified && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL) {
    X509_STORE_CTX_set_error(ctx, X509_V_OK);
    return 1;
  }
  return preverified;
}

TlsContext new_context(ssl::context::method method) {
  auto context = std::make_shared<ssl::context>(method);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  return context;
}

}  // namespace

std::vector<std::filesystem::path> trust_root_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".pem" || extension == ".crt")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TlsContext make_server_tls_context(const ServerTlsConfig& config) {
  TlsContext context = new_context(ssl::context::tls_server);
  load_identity(*context, config.certificate_chain, config.private_key);
  load_trust_roots(*context, config.trust_roots_dir);
  SSL_CTX_set_verify(context->native_handle(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     verify_allowing_missing_crl);
  SSL_CTX_set_verify_depth(context->native_handle(), 8);
  static const unsigned char kSessionContext[] = "federa";
  SSL_CTX_set_session_id_context(context->native_handle(), kSessionContext, sizeof kSessionContext - 1);
  return context;
}

TlsContext make_client_tls_context(const ClientTlsConfig& config) {
  TlsContext context = new_context(ssl::context::tls_client);
  load_identity(*context, config.certificate_chain, config.private_key);
  context->set_verify_mode(ssl::verify_none);  // as omni: the AM's certificate is not checked
  return context;
}

TlsContextHolder::TlsContextHolder(ServerTlsConfig config)
    : config_(std::move(config)), context_(make_server_tls_context(config_)) {}

TlsContext TlsContextHolder::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

void TlsContextHolder::reload() {
  TlsContext fresh = make_server_tls_context(config_);
  std::lock_guard lock(mutex_);
  context_ = std::move(fresh);
}

PeerCertificates peer_certificates(const SSL* ssl) {
  PeerCertificates peer;
  X509* leaf = SSL_get1_peer_certificate(ssl);
  if (!leaf) return peer;
  peer.chain.emplace_back(leaf, X509_free);
  // On a server the chain the client sent does not include its leaf.
  STACK_OF(X509)* rest = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; rest && i < sk_X509_num(rest); ++i) {
    X509* cert = sk_X509_value(rest, i);
    if (X509_cmp(cert, leaf) == 0) continue;
    X509_up_ref(cert);
    peer.chain.emplace_back(cert, X509_free);
  }
  return peer;
}

}  // namespace federa::rpc
