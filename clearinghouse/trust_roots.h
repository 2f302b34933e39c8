// The federation's trust roots and GENI certificate chain verification. Roots are every PEM
// certificate in the files (*.pem, *.crt) of one directory; reload() re-reads the directory (the
// AM does it on SIGHUP) and bumps generation() so caches of verified results can invalidate. A
// failed reload keeps the previous roots. verify() is thread-safe and checks, at a given time:
// signatures and validity up to a root (OpenSSL), CA:TRUE on every issuer, a GENI URN on every
// certificate, and the GENI namespace rule: each issuer is an `authority` URN whose authority is a
// prefix of its subject's (gcf GID.verify_chain). Failures throw
// GeniError(kCredentialSignerUntrusted) saying which certificate broke which rule.
#pragma once

#include "clearinghouse/certificate.h"
#include "clearinghouse/urn.h"
#include "common/rfc3339.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace federa::trust {

// A chain that verify() accepted, leaf first, ending at the trust root it chains to.
struct VerifiedChain {
  std::vector<Certificate> path;
  Urn subject;  // the leaf's URN
  Timestamp not_after;  // earliest not_after along the path
};

class TrustRoots {
 public:
  // Loads the directory now; throws std::runtime_error naming a bad file or an empty directory.
  static std::shared_ptr<TrustRoots> load_directory(const std::filesystem::path& dir);
  // Fixed roots (tests, tools); reload() is then a no-op that keeps the generation.
  static std::shared_ptr<TrustRoots> from_certificates(std::vector<Certificate> roots);

  ~TrustRoots();
  TrustRoots(const TrustRoots&) = delete;
  TrustRoots& operator=(const TrustRoots&) = delete;

  // Re-reads the directory; on error keeps the current roots and rethrows.
  void reload();
  std::uint64_t generation() const;
  std::vector<Certificate> roots() const;

  // `chain` is the presented certificates, leaf first, intermediates in any order.
  VerifiedChain verify(const std::vector<Certificate>& chain, Timestamp at) const;

  struct Snapshot;

 private:
  TrustRoots(std::optional<std::filesystem::path> dir, std::shared_ptr<const Snapshot> snapshot);
  std::shared_ptr<const Snapshot> snapshot() const;

  const std::optional<std::filesystem::path> dir_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace federa::trust
