// A bounded LRU cache of verified credentials keyed by the SHA-256 of the document bytes, so a
// client repeating the same credential pays for parsing and RSA verification once. An entry is
// used only for the TrustRoots object and generation it was verified under (a reload
// invalidates it) and only before its valid_until (credential expiry or certificate expiry).
// Failures are not cached. Thread-safe; verification runs outside the lock.
#pragma once

#include "clearinghouse/credential_verifier.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace federa::trust {

class CredentialCache {
 public:
  explicit CredentialCache(std::size_t capacity = 4096);

  // The verification of `xml` at `now`: cached, or parsed and verified (throws GeniError).
  std::shared_ptr<const VerifiedCredential> verify(std::string_view xml, const TrustRoots& roots, Timestamp now);

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t size = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    const TrustRoots* roots;
    std::uint64_t generation;
    std::shared_ptr<const VerifiedCredential> verified;
  };
  std::shared_ptr<const VerifiedCredential> lookup(const std::string& key, const TrustRoots& roots,
                                                   std::uint64_t generation, Timestamp now);
  void insert(Entry entry);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  Stats stats_;
};

}  // namespace federa::trust
