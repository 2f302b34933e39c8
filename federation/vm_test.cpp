// Real QEMU guests under TCG through the libvirt node driver (qemu:///embed, no daemon), on a
// slice link whose far end is a network namespace. Needs root, qemu-system-x86, qemu-utils,
// busybox-static and linux-image-cloud-amd64 (CI installs them); builds the guest with
// tests/vm/build_guest.sh into the build tree on first use.
#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/libvirt_node_driver.h"
#include "federation/link_driver.h"
#include "federation/sweep.h"
#include "federation/test_sites.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <unistd.h>

using namespace federa::federation;
using namespace federa::federation::testing;
using Clock = std::chrono::steady_clock;

namespace {

const std::filesystem::path kGuestDir = FEDERA_GUEST_DIR;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool wait_for(const std::function<bool()>& done, double timeout_s) {
  const auto start = Clock::now();
  while (seconds_since(start) < timeout_s) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

// What the guest's key service on TCP 7000 answers.
std::string keys_in_guest(const std::string& netns, const std::string& address) {
  std::string answer;
  run_in_netns(netns, [&] {
    const int fd = tcp_connect(address, 7000);
    if (fd >= 0) answer = read_all(fd);
  });
  return answer;
}

// The guest starts its key service just before it reports ready; allow it a moment to listen.
bool keys_arrive(const std::string& netns, const std::string& address, const std::string& keys) {
  std::string last;
  const bool arrived = wait_for([&] { return (last = keys_in_guest(netns, address)) == keys; }, 5);
  if (!arrived) MESSAGE("the guest's key service answered '" << last << "'");
  return arrived;
}

struct ScratchDir {
  std::filesystem::path path = "/tmp/fdvm" + std::to_string(getpid());
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

struct VmHost {
  ScratchDir scratch;
  const std::filesystem::path& dir = scratch.path;
  NodeDriverOptions options;
  std::unique_ptr<NodeDriver> driver;

  VmHost() {
    require_root("the QEMU guest test");
    if (run_command({"getent", "passwd", "libvirt-qemu"}).exit_code != 0 ||
        run_command({"getent", "group", "libvirt-qemu"}).exit_code != 0) {
      throw std::runtime_error(
          "libvirt's QEMU driver needs the user and group libvirt-qemu (libvirt-daemon-system makes them, or: "
          "groupadd --system libvirt-qemu && useradd --system --no-create-home -g libvirt-qemu libvirt-qemu)");
    }
    const std::string build = std::string(FEDERA_SOURCE_DIR) + "/tests/vm/build_guest.sh";
    run_checked({build, kGuestDir.string()});
    options.state_dir = dir / "state";
    options.images["busybox"] = {kGuestDir / "vmlinuz", kGuestDir / "initrd.gz", "console=ttyS0 quiet panic=-1", {}, "qcow2"};
    options.images["panicking"] = {kGuestDir / "vmlinuz", kGuestDir / "initrd.gz",
                                   "console=ttyS0 quiet panic=-1 federa_panic=1", {}, "qcow2"};
    driver = open_node_driver("qemu:///embed?root=" + (dir / "embed").string(), options);
  }
};

}  // namespace

TEST_CASE("a QEMU guest boots on its slice link, answers ping, gets its keys, stops and starts") {
  VmHost host;
  TestNamespaces ns;
  const std::string slice = "urn:publicid:IDN+example.net+slice+vm" + std::to_string(getpid());
  const HostNetwork here{"urn:publicid:IDN+example.net+node+here", "", "", ""};
  const SegmentSpec link{slice, "lan0", Transport::kVxlan, 0, 0, {here}};
  LinkDriver links(probe_net_capabilities());
  links.create_segment(link);
  const std::string probe = ns.add("probe");
  links.attach_namespace(link, here, "probe", probe, "eth1", "10.77.0.1/24");

  NodeSpec spec;
  spec.name = domain_name(slice, "vm1");
  spec.image = "busybox";
  spec.ports = {links.vm_port(link, here, "vm1", "10.77.0.2/24")};
  spec.login_user = "alice";
  spec.ssh_keys = {"ssh-ed25519 AAAAfirst alice@example.net"};
  NodeDriver& driver = *host.driver;

  const auto created = Clock::now();
  driver.define(spec);
  driver.start(spec.name);
  CHECK(operational_state(driver.status(spec.name)).name == "geni_configuring");
  REQUIRE(wait_for([&] { return ping(probe, "10.77.0.2", 1); }, 30));
  MESSAGE("first ping reply " << seconds_since(created) << " s after define");
  CHECK(wait_for([&] { return operational_state(driver.status(spec.name)).name == "geni_ready"; }, 5));
  CHECK(keys_arrive(probe, "10.77.0.2", "ssh-ed25519 AAAAfirst alice@example.net\n"));
  CHECK(driver.login(spec.name).hostname == "10.77.0.2");
  CHECK(std::filesystem::exists(driver.login(spec.name).console));

  driver.stop(spec.name);
  CHECK(operational_state(driver.status(spec.name)).name == "geni_notready");
  CHECK_FALSE(ping(probe, "10.77.0.2", 1));

  driver.update_keys(spec.name, {"ssh-ed25519 AAAAsecond bob@example.net"});
  const auto restarted = Clock::now();
  driver.start(spec.name);
  REQUIRE(wait_for([&] { return ping(probe, "10.77.0.2", 1); }, 30));
  MESSAGE("ping again " << seconds_since(restarted) << " s after start");
  CHECK(wait_for([&] { return operational_state(driver.status(spec.name)).name == "geni_ready"; }, 5));
  CHECK(keys_arrive(probe, "10.77.0.2", "ssh-ed25519 AAAAsecond bob@example.net\n"));

  // A crash of the AM leaves the VM running; the sweep removes it and its tap.
  CHECK(sweep_nodes(driver) == 1);
  CHECK(driver.status(spec.name).state == DomainState::kUndefined);
  CHECK(run_command({"ip", "link", "show", "dev", spec.ports[0].tap}).exit_code != 0);
  links.destroy_segment(link);
  CHECK(run_command({"ip", "link", "show", "dev", LinkDriver::bridge_name(link, here)}).exit_code != 0);
}

// The guest's kernel finds QEMU's pvpanic device through ACPI and reports its panic there; the
// domain stays as it crashed (on_crash preserve) instead of rebooting, for the operator to look.
TEST_CASE("a guest whose kernel panics is geni_failed, saying so, and stays as it crashed") {
  VmHost host;
  NodeSpec spec;
  spec.name = domain_name("urn:publicid:IDN+example.net+slice+panic" + std::to_string(getpid()), "vm1");
  spec.image = "panicking";
  NodeDriver& driver = *host.driver;
  driver.define(spec);
  driver.start(spec.name);
  OperationalState state;
  CHECK(wait_for([&] { return (state = operational_state(driver.status(spec.name))).name == "geni_failed"; }, 60));
  CHECK(state.error == "the guest kernel panicked");
  std::this_thread::sleep_for(std::chrono::seconds(2));  // panic=-1 would have rebooted it by now
  CHECK(operational_state(driver.status(spec.name)).name == "geni_failed");
  CHECK(sweep_nodes(driver) == 1);
}

TEST_CASE("the boot probe sees a kernel boot under TCG and says why KVM is or is not usable") {
  VmHost host;
  std::string why;
  const auto start = Clock::now();
  CHECK(accelerator_boots("tcg", kGuestDir / "vmlinuz", kGuestDir / "initrd.gz", 30, why));
  MESSAGE("tcg: " << why << " (" << seconds_since(start) << " s)");
  const bool kvm = accelerator_boots("kvm", kGuestDir / "vmlinuz", kGuestDir / "initrd.gz", 4, why);
  MESSAGE("kvm: " << std::string(kvm ? "usable: " : "not usable: ") << why);
  if (!std::filesystem::exists("/dev/kvm")) CHECK(why == "no /dev/kvm on this host");
  CHECK_FALSE(why.empty());
}
