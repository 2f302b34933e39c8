#include "clearinghouse/trust_roots.h"

#include "common/geni_error.h"

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <stdexcept>

namespace federa::trust {

struct TrustRoots::Snapshot {
  std::uint64_t generation = 0;
  std::vector<Certificate> roots;
  std::shared_ptr<X509_STORE> store;
};

namespace {

using StoreCtx = std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)>;
struct CertStackDeleter {
  void operator()(STACK_OF(X509)* stack) const { sk_X509_free(stack); }
};
using CertStack = std::unique_ptr<STACK_OF(X509), CertStackDeleter>;

[[noreturn]] void untrusted(const std::string& message) {
  throw GeniError(GeniCode::kCredentialSignerUntrusted, message);
}

std::shared_ptr<const TrustRoots::Snapshot> make_snapshot(std::vector<Certificate> roots,
                                                          std::uint64_t generation) {
  if (roots.empty()) throw std::runtime_error("no trust root certificates");
  auto snapshot = std::make_shared<TrustRoots::Snapshot>();
  snapshot->generation = generation;
  snapshot->store.reset(X509_STORE_new(), X509_STORE_free);
  if (!snapshot->store) throw std::bad_alloc();
  for (const auto& root : roots) {
    if (X509_STORE_add_cert(snapshot->store.get(), root.get()) != 1) {
      throw std::runtime_error("cannot add trust root " + root.subject());
    }
  }
  // A root need not be self-signed: trusting a sub-authority directly is allowed (gcf).
  X509_STORE_set_flags(snapshot->store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  snapshot->roots = std::move(roots);
  return snapshot;
}

std::vector<Certificate> read_directory(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".pem" || extension == ".crt")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Certificate> roots;
  for (const auto& file : files) {
    for (auto& certificate : load_certificates_file(file)) roots.push_back(std::move(certificate));
  }
  if (roots.empty()) throw std::runtime_error("no trust root certificates in " + dir.string());
  return roots;
}

Urn urn_of(const Certificate& certificate) {
  const auto text = certificate.urn();
  if (!text) untrusted("certificate '" + certificate.subject() + "' carries no GENI URN");
  const auto urn = Urn::try_parse(*text);
  if (!urn) untrusted("certificate '" + certificate.subject() + "' has an invalid URN " + *text);
  return *urn;
}

// gcf GID.verify_chain: every issuer must be an authority over its subject's namespace.
void check_namespaces(const std::vector<Certificate>& path) {
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    const Urn subject = urn_of(path[i]);
    const Urn issuer = urn_of(path[i + 1]);
    if (!issuer.is_authority_for(subject)) {
      untrusted("authority " + issuer.str() + " may not vouch for " + subject.str() +
                ": outside its namespace");
    }
  }
}

Timestamp to_timestamp(std::chrono::system_clock::time_point time) {
  return std::chrono::time_point_cast<std::chrono::microseconds>(time);
}

}  // namespace

TrustRoots::TrustRoots(std::optional<std::filesystem::path> dir,
                       std::shared_ptr<const Snapshot> snapshot)
    : dir_(std::move(dir)), snapshot_(std::move(snapshot)) {}

TrustRoots::~TrustRoots() = default;

std::shared_ptr<TrustRoots> TrustRoots::load_directory(const std::filesystem::path& dir) {
  return std::shared_ptr<TrustRoots>(new TrustRoots(dir, make_snapshot(read_directory(dir), 1)));
}

std::shared_ptr<TrustRoots> TrustRoots::from_certificates(std::vector<Certificate> roots) {
  return std::shared_ptr<TrustRoots>(new TrustRoots(std::nullopt, make_snapshot(std::move(roots), 1)));
}

void TrustRoots::reload() {
  if (!dir_) return;
  auto roots = read_directory(*dir_);
  std::lock_guard lock(mutex_);
  snapshot_ = make_snapshot(std::move(roots), snapshot_->generation + 1);
}

std::shared_ptr<const TrustRoots::Snapshot> TrustRoots::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

std::uint64_t TrustRoots::generation() const { return snapshot()->generation; }

std::vector<Certificate> TrustRoots::roots() const { return snapshot()->roots; }

VerifiedChain TrustRoots::verify(const std::vector<Certificate>& chain, Timestamp at) const {
  if (chain.empty()) untrusted("no certificate presented");
  const auto current = snapshot();
  CertStack untrusted_certs(sk_X509_new_null());
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted_certs.get(), chain[i].get());
  StoreCtx ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  if (!ctx || !untrusted_certs ||
      X509_STORE_CTX_init(ctx.get(), current->store.get(), chain.front().get(), untrusted_certs.get()) != 1) {
    throw std::bad_alloc();
  }
  X509_STORE_CTX_set_time(ctx.get(), 0,
                          std::chrono::system_clock::to_time_t(
                              std::chrono::time_point_cast<std::chrono::system_clock::duration>(at)));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
    X509* culprit = X509_STORE_CTX_get_current_cert(ctx.get());
    const std::string who = culprit ? Certificate(std::shared_ptr<X509>(X509_dup(culprit), X509_free)).subject()
                                    : chain.front().subject();
    untrusted("certificate chain of '" + chain.front().subject() + "' does not verify to a trusted root: " +
              X509_verify_cert_error_string(error) + " (at depth " + std::to_string(depth) + ", '" + who + "')");
  }
  VerifiedChain verified{.path = {}, .subject = urn_of(chain.front()), .not_after = Timestamp::max()};
  STACK_OF(X509)* path = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(path); ++i) {
    X509* x509 = sk_X509_value(path, i);
    X509_up_ref(x509);
    verified.path.emplace_back(std::shared_ptr<X509>(x509, X509_free));
    verified.not_after = std::min(verified.not_after, to_timestamp(verified.path.back().not_after()));
  }
  check_namespaces(verified.path);
  return verified;
}

}  // namespace federa::trust
