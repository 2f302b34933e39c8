// Test and benchmark support: a small GENI PKI built once per process (an `sa` trust root for
// geni:lab, users alice and bob, slice `demo`, a tool, and an untrusted look-alike authority), and
// helpers to issue credentials from it. Not part of the federa_clearinghouse library.
#pragma once

#include "clearinghouse/credential_issuer.h"
#include "clearinghouse/trust_roots.h"
#include "common/geni_error.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace federa::trust::testing {

struct Identity {
  PrivateKey key;
  std::vector<Certificate> chain;  // leaf first

  const Certificate& cert() const { return chain.front(); }
  std::string urn() const { return *cert().urn(); }
  Signer signer(SignatureAlgorithm algorithm = SignatureAlgorithm::kRsaSha256) const {
    return {key, chain, algorithm};
  }
};

Identity make_identity(const std::string& urn, bool is_ca, const Identity* issuer);

struct Pki {
  Identity sa;     // urn:publicid:IDN+geni:lab+authority+sa, the trust root
  Identity alice;  // urn:publicid:IDN+geni:lab+user+alice
  Identity bob;    // urn:publicid:IDN+geni:lab+user+bob
  Identity slice;  // urn:publicid:IDN+geni:lab+slice+demo
  Identity tool;   // urn:publicid:IDN+geni:lab+tool+portal
  Identity rogue;  // self-signed, same URN as sa, not trusted
  std::shared_ptr<TrustRoots> roots;
};

const Pki& pki();

Timestamp hours_from_now(int hours);

std::vector<Privilege> slice_privileges(bool can_delegate = true);

// A slice credential for `owner` over slice demo, signed by `signer` (default: the sa).
std::string slice_credential(const Identity& owner, Timestamp expires,
                             std::vector<Privilege> privileges = slice_privileges(),
                             const Identity* signer = nullptr,
                             SignatureAlgorithm algorithm = SignatureAlgorithm::kRsaSha256);

// The GENI code `body` throws, or kSuccess when it returns.
GeniCode code_of(const std::function<void()>& body);

// `text` with the first `from` replaced by `to`; throws std::logic_error when `from` is absent.
std::string replaced(std::string text, const std::string& from, const std::string& to);

}  // namespace federa::trust::testing
