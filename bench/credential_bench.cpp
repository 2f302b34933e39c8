// Credential verification throughput: a plain slice credential and a 2-level delegated one,
// authorized cold (a fresh cache each time: parse, XML signatures, RSA, chains) and cached
// (same bytes again: one SHA-256 and a lookup, plus the caller's chain), single-threaded.
#include "clearinghouse/authorizer.h"
#include "clearinghouse/test_pki.h"

#include <chrono>
#include <cstdio>
#include <functional>

using namespace federa::trust;
using namespace federa::trust::testing;

namespace {

double per_second(const std::function<void()>& body, std::chrono::milliseconds budget) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  long runs = 0;
  while (Clock::now() - start < budget) {
    body();
    ++runs;
  }
  return runs / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main() {
  const Pki& p = pki();
  const std::string plain = slice_credential(p.alice, hours_from_now(4));
  const std::string to_bob = delegate_credential(
      plain, {.owner = p.bob.chain, .privileges = {{"control", true}, {"info", true}}, .expires = hours_from_now(3)},
      p.alice.signer());
  const std::string to_tool = delegate_credential(
      to_bob, {.owner = p.tool.chain, .privileges = {{"control", false}}, .expires = hours_from_now(2)}, p.bob.signer());
  struct Case {
    const char* name;
    const Identity* caller;
    const std::string* xml;
  };
  const Case cases[] = {{"slice credential", &p.alice, &plain}, {"2-level delegation", &p.tool, &to_tool}};
  const auto budget = std::chrono::milliseconds(1500);
  std::printf("%-20s %14s %14s\n", "credential", "cold verif/s", "cached verif/s");
  for (const auto& c : cases) {
    const AuthorizationRequest request{c.caller->chain, p.slice.urn(), "createsliver", {{"geni_sfa", "3", *c.xml}},
                                       std::nullopt};
    const double cold = per_second([&] { Authorizer(p.roots, std::make_shared<CredentialCache>()).authorize(request); },
                                   budget);
    const Authorizer cached(p.roots, std::make_shared<CredentialCache>());
    const double warm = per_second([&] { cached.authorize(request); }, budget);
    std::printf("%-20s %14.0f %14.0f\n", c.name, cold, warm);
  }
  return 0;
}
