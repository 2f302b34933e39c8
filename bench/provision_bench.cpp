// Provisioning benchmark for the node and link drivers (needs root; QEMU rows need the packages
// of docs/backends.md). Prints, per slice, the time of each phase and of Delete:
//   define  NodeDriver::define for every node (seeded initrd; qcow2 overlay for the test driver)
//   boot    start every node, until each is geni_ready (test driver) or answers ping (QEMU)
//   links   LinkDriver segments and ports: VXLAN across two site namespaces, or a host bridge
//   delete  destroy every node and segment
// Slices: 2 and 20 nodes on the libvirt test driver with namespace ports on a chain of links
// that alternate between the two sites (n-1 links); 2 TCG VMs on one host-local link.
// Figures are medians over the repetitions (5 for the test driver, 1 for QEMU). The QEMU define
// includes libvirt's one-off probe of the QEMU binary's capabilities at the first define.
#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/libvirt_node_driver.h"
#include "federation/link_driver.h"
#include "federation/test_sites.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>
#include <unistd.h>

using namespace federa::federation;
using namespace federa::federation::testing;
using Clock = std::chrono::steady_clock;

namespace {

struct Phases {
  double define = 0, boot = 0, links = 0, remove = 0;
};

double ms_of(const std::function<void()>& step) {
  const auto start = Clock::now();
  step();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Phases median(const std::vector<Phases>& runs) {
  auto pick = [&](double Phases::*field) {
    std::vector<double> values;
    for (const auto& run : runs) values.push_back(run.*field);
    return median(values);
  };
  return {pick(&Phases::define), pick(&Phases::boot), pick(&Phases::links), pick(&Phases::remove)};
}

void print_row(const std::string& slice, const Phases& p) {
  std::printf("%-44s %9.1f %9.1f %9.1f %9.1f %9.1f\n", slice.c_str(), p.define, p.boot, p.links,
              p.define + p.boot + p.links, p.remove);
}

// Link i is the subnet 10.78.i.0/24: its lower end is .1, its upper end .2.
std::string address(int link, bool upper) {
  return "10.78." + std::to_string(link) + "." + (upper ? "2" : "1") + "/24";
}

// n test-driver nodes; node i's namespace sits at site i % 2; link i joins nodes i and i+1.
Phases test_driver_slice(int nodes, int run, const std::filesystem::path& dir) {
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  const std::string slice = "urn:publicid:IDN+bench+slice+t" + std::to_string(nodes) + "r" + std::to_string(run);
  std::vector<std::string> node_ns;
  for (int i = 0; i < nodes; ++i) node_ns.push_back(ns.add("n" + std::to_string(i)));

  NodeDriverOptions options;
  options.state_dir = dir / "state";
  options.images["disk"] = {dir / "vmlinuz", dir / "initrd", "console=ttyS0", dir / "base.qcow2", "qcow2"};
  auto driver = open_node_driver("test:///default", options);
  LinkDriver links(probe_net_capabilities());
  std::vector<SegmentSpec> segments;
  for (int i = 0; i + 1 < nodes; ++i) {
    segments.push_back({slice, "link" + std::to_string(i), Transport::kVxlan, 4096 * (1 + run) + i, 0, {sites.a, sites.b}});
  }
  auto site_of = [&](int node) { return node % 2 == 0 ? sites.a : sites.b; };
  std::vector<std::string> names;
  for (int i = 0; i < nodes; ++i) names.push_back(domain_name(slice, "node" + std::to_string(i)));

  Phases phases;
  phases.define = ms_of([&] {
    for (int i = 0; i < nodes; ++i) {
      NodeSpec spec;
      spec.name = names[i];
      spec.image = "disk";
      spec.login_user = "alice";
      spec.ssh_keys = {"ssh-ed25519 AAAA alice@bench"};
      driver->define(spec);
    }
  });
  phases.boot = ms_of([&] {
    for (const auto& name : names) driver->start(name);
    for (const auto& name : names) {
      if (operational_state(driver->status(name)).name != "geni_ready") throw std::runtime_error(name + " not ready");
    }
  });
  phases.links = ms_of([&] {
    for (int i = 0; i + 1 < nodes; ++i) {
      links.create_segment(segments[i]);
      for (int end : {i, i + 1}) {
        links.attach_namespace(segments[i], site_of(end), "node" + std::to_string(end), node_ns[end],
                               "eth" + std::to_string(end == i ? 1 : 2), address(i, end != i));
      }
    }
  });
  if (!ping(node_ns[0], "10.78.0.2", 2)) throw std::runtime_error("the first link does not carry ping");
  phases.remove = ms_of([&] {
    for (const auto& name : names) driver->destroy(name);
    for (const auto& segment : segments) links.destroy_segment(segment);
  });
  return phases;
}

// Two TCG VMs and a probe namespace on one host-local link.
Phases qemu_slice(const std::filesystem::path& dir, const std::filesystem::path& guest) {
  TestNamespaces ns;
  const std::string slice = "urn:publicid:IDN+bench+slice+vm" + std::to_string(getpid());
  const HostNetwork here{"urn:publicid:IDN+bench+node+here", "", "", ""};
  const SegmentSpec link{slice, "lan0", Transport::kVxlan, 0, 0, {here}};
  LinkDriver links(probe_net_capabilities());
  NodeDriverOptions options;
  options.state_dir = dir / "vm-state";
  options.images["busybox"] = {guest / "vmlinuz", guest / "initrd.gz", "console=ttyS0 quiet panic=-1", {}, "qcow2"};
  auto driver = open_node_driver("qemu:///embed?root=" + (dir / "embed").string(), options);
  const std::string probe = ns.add("probe");

  Phases phases;
  phases.links = ms_of([&] {
    links.create_segment(link);
    links.attach_namespace(link, here, "probe", probe, "eth1", "10.77.0.1/24");
  });
  std::vector<std::string> names;
  phases.define = ms_of([&] {
    for (int i = 0; i < 2; ++i) {
      NodeSpec spec;
      spec.name = domain_name(slice, "vm" + std::to_string(i));
      spec.image = "busybox";
      spec.ports = {links.vm_port(link, here, "vm" + std::to_string(i), "10.77.0." + std::to_string(2 + i) + "/24")};
      spec.login_user = "alice";
      driver->define(spec);
      names.push_back(spec.name);
    }
  });
  phases.boot = ms_of([&] {
    for (const auto& name : names) driver->start(name);
    for (const char* vm : {"10.77.0.2", "10.77.0.3"}) {
      const auto start = Clock::now();
      while (!ping(probe, vm, 1)) {
        if (Clock::now() - start > std::chrono::seconds(60)) throw std::runtime_error(std::string(vm) + " never answered");
      }
    }
  });
  phases.remove = ms_of([&] {
    for (const auto& name : names) driver->destroy(name);
    links.destroy_segment(link);
  });
  return phases;
}

}  // namespace

int main() {
  try {
    require_root("provision_bench");
    const std::filesystem::path dir = "/tmp/fdbench" + std::to_string(getpid());
    std::filesystem::create_directories(dir);
    const std::filesystem::path guest = FEDERA_GUEST_DIR;
    run_checked({std::string(FEDERA_SOURCE_DIR) + "/tests/vm/build_guest.sh", guest.string()});
    std::filesystem::copy_file(guest / "vmlinuz", dir / "vmlinuz");
    std::filesystem::copy_file(guest / "initrd.gz", dir / "initrd");
    run_checked({"qemu-img", "create", "-q", "-f", "qcow2", (dir / "base.qcow2").string(), "1G"});

    std::printf("%-44s %9s %9s %9s %9s %9s\n", "slice (ms; median)", "define", "boot", "links", "provision", "delete");
    for (int nodes : {2, 20}) {
      std::vector<Phases> runs;
      for (int run = 0; run < 5; ++run) runs.push_back(test_driver_slice(nodes, run, dir));
      print_row(std::to_string(nodes) + " nodes, test driver + netns VXLAN links", median(runs));
    }
    print_row("2 QEMU/TCG VMs (boot = both answer ping)", qemu_slice(dir, guest));
    std::filesystem::remove_all(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "provision_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
