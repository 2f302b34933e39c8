#include "snapshot/two_site_vms.h"

#include "federation/backend_names.h"
#include "federation/command.h"

#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace federa::snapshot::testing {

using namespace federa::federation;
using namespace federa::federation::testing;

std::string guest_service(const std::string& netns, const std::string& address, int port) {
  std::string answer;
  run_in_netns(netns, [&] {
    const int fd = tcp_connect(address, port);
    if (fd >= 0) answer = read_all(fd);
  });
  return answer;
}

Stream stream_of(const std::string& log, int from) {
  static const std::regex kReply(R"(seq=([0-9]+) )");
  std::map<int, int> seen;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kReply) && std::stoi(m[1]) >= from) ++seen[std::stoi(m[1])];
  }
  Stream s;
  if (seen.empty()) return s;
  s.first = seen.begin()->first;
  s.last = seen.rbegin()->first;
  for (int seq = s.first; seq <= s.last; ++seq) {
    const auto it = seen.find(seq);
    if (it != seen.end()) {
      s.duplicates += it->second - 1;
      continue;
    }
    if (s.missing++ == 0 || seen.count(seq - 1)) s.gaps += " " + std::to_string(seq) + "-";
    if (seen.count(seq + 1)) s.gaps += std::to_string(seq);
  }
  return s;
}

ProbeGap probe_gap(const std::string& output) {
  static const std::regex kReply(R"(^\[([0-9.]+)\] .*icmp_seq=)");
  static const std::regex kSummary(R"(([0-9]+) packets transmitted, ([0-9]+) received)");
  ProbeGap gap;
  double previous = 0;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, kReply)) continue;
    const double at = std::stod(m[1]);
    if (previous > 0) gap.max_gap_ms = std::max(gap.max_gap_ms, (at - previous) * 1000);
    previous = at;
  }
  std::smatch m;
  if (std::regex_search(output, m, kSummary)) gap.lost = std::stoi(m[1]) - std::stoi(m[2]);
  return gap;
}

bool memory_whole(const std::string& log) {
  return log.rfind("memory: checking\n", 0) == 0 && log.find("torn") == std::string::npos &&
         log.find("stale") == std::string::npos;
}

bool eventually(const std::function<bool()>& done, std::chrono::seconds limit) {
  for (const auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(250))) {
    if (done()) return true;
  }
  return false;
}

namespace {

// Built on first use; rebuilt when tests/vm changes.
std::filesystem::path built_guest() {
  require_root("a test with QEMU guests");
  run_checked({std::string(FEDERA_SOURCE_DIR) + "/tests/vm/build_guest.sh", FEDERA_GUEST_DIR});
  return FEDERA_GUEST_DIR;
}

}  // namespace

TwoSiteSlice::TwoSiteSlice(bool vmb_has_disk)
    : scratch{"/tmp/fdsnapvm" + std::to_string(getpid())},
      sites(make_two_sites(ns)),
      daemon_a(sites.a, "siteA", dir / "siteA"),
      daemon_b(sites.b, "siteB", dir / "siteB"),
      slice_urn("urn:publicid:IDN+example.net+slice+vms" + std::to_string(getpid())),
      link{slice_urn, "link0", Transport::kVxlan, 4096 + 78, 0, {sites.a, sites.b}},
      links(probe_net_capabilities()),
      slice{slice_urn, {}, {link}} {
  links.create_segment(link);
  probe = ns.add("probe");
  links.attach_namespace(link, sites.a, "probe", probe, "eth1", "10.77.0.1/24");
  NodeDriverOptions options;
  options.state_dir = dir / "state";
  const std::filesystem::path guest_dir = built_guest();
  const std::string boot = "console=ttyS0 quiet panic=-1 federa_counter";
  const std::filesystem::path blank = dir / "blank.qcow2";
  run_checked({"qemu-img", "create", "-q", "-f", "qcow2", blank.string(), "16M"});
  options.images["pinger"] = {guest_dir / "vmlinuz", guest_dir / "initrd.gz", boot + " federa_ping=10.77.0.3 federa_memory", {}, "qcow2"};
  options.images["counter"] = {guest_dir / "vmlinuz", guest_dir / "initrd.gz", boot, {}, "qcow2"};
  if (vmb_has_disk) options.images["counter"] = {guest_dir / "vmlinuz", guest_dir / "initrd.gz", boot + " federa_disk", blank, "qcow2"};
  options.peer_uri = daemon_a.peer_uri();
  driver_a = open_node_driver(daemon_a.uri(), options);
  options.peer_uri = daemon_b.peer_uri();
  driver_b = open_node_driver(daemon_b.uri(), options);
  boot_node("vma", "pinger", "10.77.0.2/24", *driver_a, sites.a);
  boot_node("vmb", "counter", "10.77.0.3/24", *driver_b, sites.b);
  if (!eventually([&] { return ping(probe, "10.77.0.2") && ping(probe, "10.77.0.3"); }, std::chrono::seconds(60)) ||
      !eventually([&] { return pings().last >= 50; }, std::chrono::seconds(30))) {
    throw std::runtime_error("the two test guests did not come up and ping each other within 90 s");
  }
}

TwoSiteSlice::~TwoSiteSlice() {
  for (const auto& node : slice.nodes) node.driver->destroy(node.name);
  links.destroy_segment(link);
}

void TwoSiteSlice::boot_node(const char* client, const char* image, const char* address, NodeDriver& driver,
                             const HostNetwork& site) {
  NodeSpec spec;
  spec.name = domain_name(slice_urn, client);
  spec.image = image;
  spec.ports = {links.vm_port(link, site, client, address)};
  driver.define(spec);
  driver.start(spec.name);
  slice.nodes.push_back({spec.name, &driver, {{"link0", spec.ports[0].tap, site.netns}}});
}

Stream TwoSiteSlice::pings(int from) { return stream_of(guest_service(probe, "10.77.0.2", 7002), from); }

int TwoSiteSlice::counter() {
  const std::string text = guest_service(probe, "10.77.0.2", 7001);
  return text.empty() ? -1 : std::stoi(text);
}

DiskLog TwoSiteSlice::disk_log() {
  const std::string text = guest_service(probe, "10.77.0.3", 7004);
  DiskLog log;
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(R"(^logged ([0-9]+)\n)"))) return log;
  log.logged = std::stoi(m[1]);
  log.ahead = m.suffix();
  return log;
}

std::string TwoSiteSlice::memory_log() { return guest_service(probe, "10.77.0.2", 7005); }

bool TwoSiteSlice::answers(const std::string& address) {
  return eventually([&] { return ping(probe, address, 1); }, std::chrono::seconds(10));
}

std::string TwoSiteSlice::console_tail(const std::string& node) {
  std::ifstream in(dir / "state" / (node + ".console"), std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.substr(text.size() > 3000 ? text.size() - 3000 : 0);
}

std::pair<ProbeGap, std::string> TwoSiteSlice::probe_while(int seconds, const std::function<void()>& during) {
  auto output = std::async(std::launch::async, [&] {
    return run_command({"ip", "netns", "exec", probe, "ping", "-D", "-i", "0.01", "-w", std::to_string(seconds),
                        "10.77.0.2"}).out;
  });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  during();
  const std::string text = output.get();
  return {probe_gap(text), text};
}

}  // namespace federa::snapshot::testing
