#include "federation/test_sites.h"

#include "federation/command.h"

#include <arpa/inet.h>
#include <cstdint>
#include <exception>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sched.h>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace federa::federation::testing {

void require_root(const std::string& what) {
  if (geteuid() != 0) {
    throw std::runtime_error(what + " needs root (network namespaces, bridges, VXLAN, nftables); "
                             "CI runs it as root: run it with sudo, not skipped");
  }
}

TestNamespaces::TestNamespaces() { require_root("this test"); }

TestNamespaces::~TestNamespaces() {
  for (auto it = names_.rbegin(); it != names_.rend(); ++it) run_command({"ip", "netns", "delete", *it});
}

std::string TestNamespaces::add(const std::string& name) {
  const std::string full = "fdtest" + std::to_string(getpid()) + "-" + name;
  run_command({"ip", "netns", "delete", full});  // left by an earlier run with the same pid
  run_checked({"ip", "netns", "add", full});
  names_.push_back(full);
  run_checked(ip_command(full, {"link", "set", "lo", "up"}));
  return full;
}

TwoSites make_two_sites(TestNamespaces& namespaces) {
  TwoSites sites;
  sites.a = {"urn:publicid:IDN+a.example+node+host1", namespaces.add("siteA"), "wan", "10.200.0.1"};
  sites.b = {"urn:publicid:IDN+b.example+node+host1", namespaces.add("siteB"), "wan", "10.200.0.2"};
  run_checked({"ip", "link", "add", "wan", "netns", sites.a.netns, "type", "veth", "peer", "name", "wan",
               "netns", sites.b.netns});
  for (const HostNetwork* site : {&sites.a, &sites.b}) {
    run_checked(ip_command(site->netns, {"-batch", "-"}),
                "addr add " + site->underlay_address + "/24 dev wan\nlink set wan up\n");
  }
  return sites;
}

void run_in_netns(const std::string& netns, const std::function<void()>& fn) {
  std::exception_ptr failure;
  std::thread worker([&] {
    try {
      const int fd = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) throw std::runtime_error("cannot enter netns " + netns);
      ::close(fd);
      fn();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  worker.join();
  if (failure) std::rethrow_exception(failure);
}

int tcp_connect(const std::string& address, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &to.sin_addr);
  timeval limit{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) return fd;
  ::close(fd);
  return -1;
}

std::string read_all(int fd) {
  std::string data;
  char buffer[65536];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) data.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return data;
}

bool ping(const std::string& netns, const std::string& address, int wait_s) {
  return run_command({"ip", "netns", "exec", netns, "ping", "-c", "1", "-W", std::to_string(wait_s), address})
             .exit_code == 0;
}

}  // namespace federa::federation::testing
