#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/libvirt_node_driver.h"
#include "federation/node_seed.h"
#include "federation/sweep.h"

#include "common/geni_error.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace federa::federation;
using federa::GeniCode;
using federa::GeniError;

namespace {

const std::string kSlice = "urn:publicid:IDN+example.net+slice+nodes";

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("federa-node-test-" + std::to_string(getpid()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

NodeSpec node(const std::string& client_id, const std::string& image = "busybox") {
  NodeSpec spec;
  spec.name = domain_name(kSlice, client_id);
  spec.image = image;
  const std::string tap = device_name(DeviceKind::kTap, kSlice, "lan0", client_id);
  spec.ports.push_back({tap, device_name(DeviceKind::kBridge, kSlice, "lan0", "host1"), port_mac(tap),
                        "10.77.0.5/24"});
  spec.login_user = "alice";
  spec.ssh_keys = {"ssh-ed25519 AAAAC3Nza alice@example.net"};
  return spec;
}

struct TestHost {
  TempDir dir;
  NodeDriverOptions options;
  std::unique_ptr<NodeDriver> driver;

  explicit TestHost(const std::string& uri = "test:///default") {
    std::ofstream(dir.path / "base.initrd") << "BASEINITRD";
    options.state_dir = dir.path / "state";
    options.images["busybox"] = {"/boot/vmlinuz", dir.path / "base.initrd", "console=ttyS0", {}, "qcow2"};
    driver = open_node_driver(uri, options);
  }
  std::string geni_state(const std::string& name) { return operational_state(driver->status(name)).name; }
};

GeniCode code_of(auto&& action) {
  try {
    action();
  } catch (const GeniError& e) {
    return e.code();
  }
  return GeniCode::kSuccess;
}

}  // namespace

TEST_CASE("the test driver runs the whole node lifecycle and the state follows the domain") {
  TestHost host;
  NodeDriver& driver = *host.driver;
  const NodeSpec spec = node("life");

  driver.define(spec);
  CHECK(driver.status(spec.name).state == DomainState::kShutoff);
  CHECK(host.geni_state(spec.name) == "geni_notready");

  driver.start(spec.name);
  CHECK(driver.status(spec.name).state == DomainState::kRunning);
  CHECK(host.geni_state(spec.name) == "geni_ready");

  driver.suspend(spec.name);
  CHECK(driver.status(spec.name).state == DomainState::kPaused);
  CHECK(operational_state(driver.status(spec.name)).error == "the node is paused");
  driver.resume(spec.name);
  CHECK(host.geni_state(spec.name) == "geni_ready");

  const auto saved = host.dir.path / "life.save";
  driver.save(spec.name, saved);
  CHECK(driver.status(spec.name).state == DomainState::kShutoff);
  driver.restore(saved);
  CHECK(host.geni_state(spec.name) == "geni_ready");

  driver.restart(spec.name);
  CHECK(driver.status(spec.name).state == DomainState::kRunning);
  driver.stop(spec.name);
  CHECK(host.geni_state(spec.name) == "geni_notready");

  driver.destroy(spec.name);
  CHECK(driver.status(spec.name).state == DomainState::kUndefined);
  CHECK(host.geni_state(spec.name) == "geni_failed");
  CHECK_FALSE(std::filesystem::exists(host.options.state_dir / (spec.name + ".initrd")));
  driver.destroy(spec.name);  // idempotent
}

TEST_CASE("login info and SSH keys come from the node's own definition and can be updated") {
  TestHost host;
  NodeDriver& driver = *host.driver;
  const NodeSpec spec = node("keys");
  driver.define(spec);
  driver.start(spec.name);

  const LoginInfo login = driver.login(spec.name);
  CHECK(login.hostname == "10.77.0.5");
  CHECK(login.port == 22);
  CHECK(login.username == "alice");
  const auto seeded = host.options.state_dir / (spec.name + ".initrd");
  CHECK(read_text(seeded).rfind("BASEINITRD", 0) == 0);
  CHECK(read_text(seeded).find("alice@example.net") != std::string::npos);

  driver.update_keys(spec.name, {"ssh-ed25519 AAAAnew bob@example.net"});
  CHECK(read_text(seeded).find("bob@example.net") != std::string::npos);
  CHECK(read_text(seeded).find("alice@example.net") == std::string::npos);
  // A second driver (an AM restart) reads the same keys and login from the host.
  TestHost again;
  CHECK(again.driver->login(spec.name).username == "alice");
  driver.destroy(spec.name);
}

TEST_CASE("a node with a disk image gets a copy-on-write overlay of it") {
  TestHost host;
  const auto base = host.dir.path / "base.qcow2";
  run_checked({"qemu-img", "create", "-q", "-f", "qcow2", base.string(), "64M"});
  host.options.images["disk"] = {{}, {}, {}, base, "qcow2"};
  auto driver = open_node_driver("test:///default", host.options);
  const NodeSpec spec = node("disky", "disk");
  driver->define(spec);
  const auto overlay = host.options.state_dir / (spec.name + ".qcow2");
  const std::string info = run_checked({"qemu-img", "info", "--output=json", overlay.string()});
  CHECK(info.find("\"backing-filename\": \"" + base.string() + "\"") != std::string::npos);
  CHECK(info.find("\"backing-filename-format\": \"qcow2\"") != std::string::npos);

  SUBCASE("a snapshot keeps the disk as it was; a restore puts it back") {
    driver->start(spec.name);
    const auto memory = host.dir.path / "snap" / (spec.name + ".mem");
    std::filesystem::create_directories(memory.parent_path());
    const std::string at_snapshot = read_text(overlay);
    const JobStats stats = driver->snapshot(spec.name, memory, false);
    CHECK(read_text(snapshot_disk_file(memory)) == at_snapshot);
    CHECK(stats.disk_bytes == at_snapshot.size());
    std::ofstream(overlay, std::ios::app) << "written after the snapshot";
    driver->restore_paused(spec.name, memory);
    CHECK(read_text(overlay) == at_snapshot);
    CHECK(driver->status(spec.name).state == DomainState::kPaused);
  }
  driver->destroy(spec.name);
  CHECK_FALSE(std::filesystem::exists(overlay));
  CHECK(std::filesystem::exists(base));
}

TEST_CASE("driver errors carry the GENI code a caller can act on") {
  TestHost host;
  NodeDriver& driver = *host.driver;
  const NodeSpec spec = node("errors");
  CHECK(code_of([&] { driver.start(spec.name); }) == GeniCode::kSearchFailed);
  CHECK(code_of([&] { driver.define(node("nope", "no-such-image")); }) == GeniCode::kBadArgs);
  driver.define(spec);
  CHECK(code_of([&] { driver.define(spec); }) == GeniCode::kAlreadyExists);
  driver.start(spec.name);
  CHECK(code_of([&] { driver.start(spec.name); }) == GeniCode::kServerError);
  try {  // the message carries libvirt's own reason, not "no error"
    driver.start(spec.name);
  } catch (const GeniError& error) {
    CHECK(std::string(error.what()).find("already running") != std::string::npos);
  }
  driver.destroy(spec.name);
  CHECK(code_of([&] { open_node_driver("vbox:///session", host.options); }) == GeniCode::kUnsupported);
  CHECK(code_of([&] { open_node_driver("test:///no/such/file.xml", host.options); }) ==
        GeniCode::kServerError);
}

TEST_CASE("a crashed domain reads as geni_failed with the reason") {
  TempDir dir;
  const std::string name = domain_name(kSlice, "crashy");
  const auto file = dir.path / "host.xml";
  std::ofstream(file) << "<node><domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
                         "<name>" << name << "</name><memory>131072</memory><os><type>hvm</type></os>"
                         "<test:runstate>6</test:runstate></domain></node>";
  NodeDriverOptions options;
  options.state_dir = dir.path / "state";
  auto driver = open_node_driver("test://" + file.string(), options);
  const NodeStatus status = driver->status(name);
  CHECK(status.state == DomainState::kCrashed);
  const OperationalState state = operational_state(status);
  CHECK(state.name == "geni_failed");
  CHECK(state.error.find("crashed") != std::string::npos);
  CHECK(driver->federa_nodes() == std::vector<std::string>{name});
}

TEST_CASE("operational states follow libvirt's states and reasons") {
  using S = DomainState;
  CHECK(operational_state({S::kRunning, VIR_DOMAIN_RUNNING_BOOTED, false}).name == "geni_configuring");
  CHECK(operational_state({S::kRunning, VIR_DOMAIN_RUNNING_BOOTED, true}).name == "geni_ready");
  CHECK(operational_state({S::kShutoff, VIR_DOMAIN_SHUTOFF_DESTROYED, false}).name == "geni_notready");
  CHECK(operational_state({S::kShutdown, 0, false}).name == "geni_stopping");
  const OperationalState panicked = operational_state({S::kCrashed, VIR_DOMAIN_CRASHED_PANICKED, false});
  CHECK(panicked.name == "geni_failed");
  CHECK(panicked.error == "the guest kernel panicked");
  const OperationalState died = operational_state({S::kShutoff, VIR_DOMAIN_SHUTOFF_CRASHED, false});
  CHECK(died.name == "geni_failed");
  CHECK(died.error == "the emulator exited unexpectedly");
  CHECK(operational_state({S::kPaused, VIR_DOMAIN_PAUSED_IOERROR, false}).name == "geni_failed");
  CHECK(operational_state({S::kPaused, VIR_DOMAIN_PAUSED_USER, false}).name == "geni_notready");
}

TEST_CASE("the sweep destroys federa's nodes left by a crash and leaves other domains alone") {
  TestHost host;
  for (const char* id : {"left1", "left2"}) {
    host.driver->define(node(id));
    host.driver->start(domain_name(kSlice, id));
  }
  // The AM "crashes"; the in-process host lives on in the next connection, as a daemon would.
  auto driver = open_node_driver("test:///default", host.options);
  host.driver.reset();
  CHECK(sweep_nodes(*driver) == 2);
  CHECK(driver->federa_nodes().empty());
  CHECK(driver->status("test").state == DomainState::kRunning);  // the test driver's own domain
  CHECK_FALSE(std::filesystem::exists(host.options.state_dir / (domain_name(kSlice, "left1") + ".initrd")));
}
