// Test and benchmark support (federa_backend_testing): a libvirtd of its own for one test site,
// as a real multi-site deployment has one per host. The daemon runs inside the site's network
// namespace and a private mount namespace whose /etc/libvirt, /run/libvirt, /var/lib/libvirt/qemu,
// /var/cache/libvirt and /var/log/libvirt are bind mounts of directories under `dir`, with its
// own hostname and host UUID (libvirt refuses to migrate to "the same host"). Clients in the
// root namespace reach it at uri() (its UNIX socket); peer daemons at peer_uri() (TCP on the
// site's underlay address, for P2P migration). QEMU runs as root with stdio_handler = "file",
// so no virtlogd is needed. The destructor destroys every domain left, stops the daemon (by its
// pid) and removes `dir`. Needs root.
#pragma once

#include "federation/link_driver.h"

#include <filesystem>
#include <string>

namespace federa::federation::testing {

class SiteDaemon {
 public:
  // `site.netns` and `site.underlay_address` must exist (libvirtd listens on that address).
  SiteDaemon(const HostNetwork& site, const std::string& hostname, std::filesystem::path dir);
  ~SiteDaemon();
  SiteDaemon(const SiteDaemon&) = delete;
  SiteDaemon& operator=(const SiteDaemon&) = delete;

  std::string uri() const;       // qemu:///system?socket=<dir>/run/libvirt-sock
  std::string peer_uri() const;  // qemu+tcp://<underlay address>/system

 private:
  void write_config(const std::string& hostname) const;
  void wait_until_answering() const;
  void destroy_domains() const;
  void stop_daemon() const;

  HostNetwork site_;
  std::filesystem::path dir_;
};

}  // namespace federa::federation::testing
