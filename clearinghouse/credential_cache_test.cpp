#include "clearinghouse/credential_cache.h"

#include "clearinghouse/test_pki.h"
#include "common/geni_error.h"

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace federa::trust;
using namespace federa::trust::testing;

TEST_CASE("the cache verifies identical bytes once and returns the same result") {
  CredentialCache cache(8);
  const std::string xml = slice_credential(pki().alice, hours_from_now(1));
  const auto now = federa::now_utc();
  const auto first = cache.verify(xml, *pki().roots, now);
  const auto second = cache.verify(xml, *pki().roots, now);
  CHECK(first == second);
  CHECK(cache.stats().hits == 1);
  CHECK(cache.stats().misses == 1);
}

TEST_CASE("a cached credential is re-verified, and refused, once it has expired") {
  CredentialCache cache(8);
  const auto expires = hours_from_now(1);
  const std::string xml = slice_credential(pki().alice, expires);
  cache.verify(xml, *pki().roots, federa::now_utc());
  try {
    cache.verify(xml, *pki().roots, expires + std::chrono::seconds(1));
    FAIL("an expired credential was accepted from the cache");
  } catch (const federa::GeniError& error) {
    CHECK(error.code() == federa::GeniCode::kCredentialExpired);
  }
  CHECK(cache.stats().hits == 0);
}

TEST_CASE("a trust-root reload invalidates cached verifications") {
  const auto dir = std::filesystem::temp_directory_path() / "federa-cache-roots-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  write_file_atomically(dir / "sa.pem", pki().sa.cert().pem(), std::filesystem::perms(0644));
  const auto roots = TrustRoots::load_directory(dir);
  CredentialCache cache(8);
  const std::string xml = slice_credential(pki().alice, hours_from_now(1));
  cache.verify(xml, *roots, federa::now_utc());
  CHECK(cache.verify(xml, *roots, federa::now_utc()));
  CHECK(cache.stats().hits == 1);

  write_file_atomically(dir / "sa.pem", pki().rogue.cert().pem(), std::filesystem::perms(0644));
  roots->reload();
  try {
    cache.verify(xml, *roots, federa::now_utc());
    FAIL("a credential signed by a removed root was accepted from the cache");
  } catch (const federa::GeniError& error) {
    CHECK(error.code() == federa::GeniCode::kCredentialSignerUntrusted);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the cache is bounded, evicting the least recently used") {
  CredentialCache cache(2);
  const auto now = federa::now_utc();
  std::vector<std::string> credentials;
  for (int i = 1; i <= 3; ++i) credentials.push_back(slice_credential(pki().alice, hours_from_now(i)));
  cache.verify(credentials[0], *pki().roots, now);
  cache.verify(credentials[1], *pki().roots, now);
  cache.verify(credentials[0], *pki().roots, now);  // now most recent
  cache.verify(credentials[2], *pki().roots, now);  // evicts credentials[1]
  CHECK(cache.stats().size == 2);
  cache.verify(credentials[0], *pki().roots, now);
  CHECK(cache.stats().hits == 2);
  cache.verify(credentials[1], *pki().roots, now);
  CHECK(cache.stats().misses == 4);
}

TEST_CASE("the cache serves concurrent callers") {
  CredentialCache cache(4);
  const std::string xml = slice_credential(pki().alice, hours_from_now(1));
  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (cache.verify(xml, *pki().roots, federa::now_utc())->credential->owner_urn == pki().alice.urn()) ++verified;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(verified == 100);
  CHECK(cache.stats().hits + cache.stats().misses == 100);
}
