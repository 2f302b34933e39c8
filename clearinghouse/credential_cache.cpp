#include "clearinghouse/credential_cache.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace federa::trust {
namespace {

std::string sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace

CredentialCache::CredentialCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::shared_ptr<const VerifiedCredential> CredentialCache::lookup(const std::string& key, const TrustRoots& roots,
                                                                  std::uint64_t generation, Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto found = index_.find(key);
  if (found == index_.end()) {
    ++stats_.misses;
    return nullptr;
  }
  const Entry& entry = *found->second;
  if (entry.roots != &roots || entry.generation != generation || now >= entry.verified->valid_until) {
    lru_.erase(found->second);
    index_.erase(found);
    ++stats_.misses;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, found->second);
  ++stats_.hits;
  return entry.verified;
}

void CredentialCache::insert(Entry entry) {
  std::lock_guard lock(mutex_);
  if (const auto found = index_.find(entry.key); found != index_.end()) {
    lru_.erase(found->second);
    index_.erase(found);
  }
  lru_.push_front(std::move(entry));
  index_[lru_.front().key] = lru_.begin();
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

std::shared_ptr<const VerifiedCredential> CredentialCache::verify(std::string_view xml, const TrustRoots& roots,
                                                                  Timestamp now) {
  const std::string key = sha256(xml);
  const std::uint64_t generation = roots.generation();
  if (auto cached = lookup(key, roots, generation, now)) return cached;
  auto verified = std::make_shared<const VerifiedCredential>(verify_credential(SignedCredential::parse(xml), roots, now));
  insert({key, &roots, generation, verified});
  return verified;
}

CredentialCache::Stats CredentialCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats = stats_;
  stats.size = lru_.size();
  return stats;
}

}  // namespace federa::trust
