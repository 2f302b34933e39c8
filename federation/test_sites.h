// Test and benchmark support (library federa_backend_testing, never linked into the AM): network
// namespaces a test makes for itself as "sites" and "nodes", removed when it ends, with names
// unique per process so that the release and sanitizer runs can share a machine; two sites
// joined by a veth "WAN"; running code inside a namespace. Everything here needs root, and
// require_root() says so loudly instead of letting a test skip.
#pragma once

#include "federation/link_driver.h"

#include <functional>
#include <string>
#include <vector>

namespace federa::federation::testing {

// Throws std::runtime_error unless running as root (CI runs these tests as root).
void require_root(const std::string& what);

class TestNamespaces {
 public:
  TestNamespaces();
  ~TestNamespaces();
  TestNamespaces(const TestNamespaces&) = delete;
  TestNamespaces& operator=(const TestNamespaces&) = delete;

  // Creates "fdtest<pid>-<name>" with loopback up and returns its name.
  std::string add(const std::string& name);

 private:
  std::vector<std::string> names_;
};

// Two site namespaces joined by a veth "wan" (10.200.0.1/24 and 10.200.0.2/24).
struct TwoSites {
  HostNetwork a;
  HostNetwork b;
};
TwoSites make_two_sites(TestNamespaces& namespaces);

// Runs `fn` on a thread that has entered `netns`, and waits for it; exceptions propagate.
void run_in_netns(const std::string& netns, const std::function<void()>& fn);

// A TCP connection to address:port from the calling thread's namespace (call it inside
// run_in_netns), with a 5 s receive timeout; -1 if it cannot connect.
int tcp_connect(const std::string& address, int port);

// Everything the peer sends until it closes `fd` (which is then closed).
std::string read_all(int fd);

// One ICMP echo from `netns` to `address`, waiting up to `wait_s`.
bool ping(const std::string& netns, const std::string& address, int wait_s = 1);

}  // namespace federa::federation::testing
