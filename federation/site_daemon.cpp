#include "federation/site_daemon.h"

#include "federation/backend_names.h"
#include "federation/command.h"

#include <libvirt/libvirt.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace federa::federation::testing {
namespace {

constexpr const char* kMounts[][2] = {
    {"etc", "/etc/libvirt"},         {"run", "/run/libvirt"},     {"qemu", "/var/lib/libvirt/qemu"},
    {"cache", "/var/cache/libvirt"}, {"log", "/var/log/libvirt"},
};

void append(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::app) << "\n" << text;
}

// A host UUID unique to this site directory.
std::string host_uuid(const std::filesystem::path& dir) {
  const std::string hex = short_hash({"site", dir.string()}) + short_hash({"uuid", dir.string()});
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(12, 3) + "-8" + hex.substr(15, 3) +
         "-" + hex.substr(0, 12);
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0; }

pid_t read_pid(const std::filesystem::path& file) {
  std::ifstream in(file);
  pid_t pid = 0;
  in >> pid;
  return pid;
}

}  // namespace

SiteDaemon::SiteDaemon(const HostNetwork& site, const std::string& hostname, std::filesystem::path dir)
    : site_(site), dir_(std::move(dir)) {
  std::filesystem::remove_all(dir_);
  for (const auto& mount : kMounts) std::filesystem::create_directories(dir_ / mount[0]);
  std::filesystem::copy("/etc/libvirt", dir_ / "etc", std::filesystem::copy_options::recursive);
  write_config(hostname);
  std::string script = "hostname " + hostname + "\n";
  for (const auto& mount : kMounts) script += "mount --bind " + (dir_ / mount[0]).string() + " " + mount[1] + "\n";
  script += "exec libvirtd -d --listen --pid-file " + (dir_ / "libvirtd.pid").string() + "\n";
  run_checked({"ip", "netns", "exec", site_.netns, "unshare", "-m", "-u", "--propagation", "private", "sh", "-e",
               "-c", script});
  wait_until_answering();
}

SiteDaemon::~SiteDaemon() {
  try {
    destroy_domains();
  } catch (...) {  // the daemon may already be gone; stopping it below is what matters
  }
  stop_daemon();
  std::filesystem::remove_all(dir_);
}

std::string SiteDaemon::uri() const { return "qemu:///system?socket=" + (dir_ / "run" / "libvirt-sock").string(); }

std::string SiteDaemon::peer_uri() const { return "qemu+tcp://" + site_.underlay_address + "/system"; }

void SiteDaemon::write_config(const std::string& hostname) const {
  append(dir_ / "etc" / "libvirtd.conf",
         "host_uuid = \"" + host_uuid(dir_) + "\"\nlisten_tls = 0\nlisten_tcp = 1\nauth_tcp = \"none\"\n"
         "listen_addr = \"" + site_.underlay_address + "\"\nunix_sock_rw_perms = \"0700\"\n");
  append(dir_ / "etc" / "qemu.conf",
         "cgroup_controllers = [ ]\nmigration_host = \"" + site_.underlay_address + "\"\nmigration_address = \"" +
             site_.underlay_address + "\"\nuser = \"root\"\ngroup = \"root\"\nremember_owner = 0\n"
             "security_driver = \"none\"\nstdio_handler = \"file\"\n");
}

void SiteDaemon::wait_until_answering() const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (virConnectPtr conn = virConnectOpen(uri().c_str())) {
      virConnectClose(conn);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop_daemon();
  throw std::runtime_error("the libvirtd of site " + site_.netns + " did not answer on " + uri() +
                           " within 20 s");
}

void SiteDaemon::destroy_domains() const {
  virConnectPtr conn = virConnectOpen(uri().c_str());
  if (!conn) return;
  virDomainPtr* domains = nullptr;
  const int count = virConnectListAllDomains(conn, &domains, 0);
  for (int i = 0; i < count; ++i) {
    if (virDomainIsActive(domains[i]) == 1) virDomainDestroy(domains[i]);
    virDomainUndefineFlags(domains[i], VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_MANAGED_SAVE);
    virDomainFree(domains[i]);
  }
  free(domains);
  virConnectClose(conn);
}

void SiteDaemon::stop_daemon() const {
  const pid_t pid = read_pid(dir_ / "libvirtd.pid");
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (process_alive(pid) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (process_alive(pid)) ::kill(pid, SIGKILL);
}

}  // namespace federa::federation::testing
