#include "clearinghouse/ch_testing.h"

#include "clearinghouse/ch_error.h"

#include <openssl/pem.h>

#include <cstdlib>
#include <mutex>

namespace federa::ch::testing {

std::filesystem::path schema_dir() {
  const char* source = std::getenv("FEDERA_SOURCE_DIR");
  return std::filesystem::path(source ? source : ".") / "schema";
}

std::shared_ptr<const AuthorityIdentity> test_authority() {
  const auto& sa = trust::testing::pki().sa;
  static const auto authority =
      std::make_shared<const AuthorityIdentity>(AuthorityIdentity{"geni:lab", sa.cert(), sa.key});
  return authority;
}

ChFixture::ChFixture(SlicePolicy policy)
    : store(store::open_store(db.uri(), ch_migrations(schema_dir()))),
      members(*store, authority, {}),
      slices(*store, authority, policy),
      slivers(*store) {}

std::string public_key_pem(const trust::PrivateKey& key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key.get());
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

IssuedMember ChFixture::member(const std::string& username, bool is_operator) {
  static std::mutex mutex;
  static std::vector<std::string> pool;
  static std::size_t next = 0;
  std::string key;
  {
    const std::lock_guard lock(mutex);
    if (pool.size() < 4) pool.push_back(public_key_pem(trust::generate_rsa_key()));
    key = pool[next++ % pool.size()];
  }
  return members.create_member({.username = username,
                                .email = username + "@example.org",
                                .first_name = username,
                                .last_name = "Tester",
                                .public_key_pem = key,
                                .is_operator = is_operator},
                               now_utc());
}

ChCode ch_code_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const ChError& error) {
    return error.code();
  }
  return ChCode::kSuccess;
}

}  // namespace federa::ch::testing
