// Test support for the clearinghouse service tests: a fresh database (the backend
// FEDERA_TEST_STORE selects) migrated with schema/ch, the test PKI's `sa` (authority geni:lab) as
// the signing authority, and the three authorities over it. Not part of federa_ch.
#pragma once

#include "clearinghouse/ch_error.h"
#include "clearinghouse/federation_registry.h"
#include "clearinghouse/member_authority.h"
#include "clearinghouse/slice_authority.h"
#include "clearinghouse/sliver_records.h"
#include "clearinghouse/test_pki.h"
#include "store/test_database.h"

#include <functional>
#include <memory>
#include <string>

namespace federa::ch::testing {

// $FEDERA_SOURCE_DIR/schema.
std::filesystem::path schema_dir();

std::shared_ptr<const AuthorityIdentity> test_authority();

struct ChFixture {
  explicit ChFixture(SlicePolicy policy = {});

  // A new member certified for one of a few keys made once per process (no private key in the
  // result), an operator when asked.
  IssuedMember member(const std::string& username, bool is_operator = false);

  store::TestDatabase db;
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const AuthorityIdentity> authority = test_authority();
  MemberAuthority members;
  SliceAuthority slices;
  SliverRecords slivers;
};

// The PEM public key of `key`.
std::string public_key_pem(const trust::PrivateKey& key);

// The ChError code `body` throws, or kSuccess when it returns.
ChCode ch_code_of(const std::function<void()>& body);

}  // namespace federa::ch::testing
