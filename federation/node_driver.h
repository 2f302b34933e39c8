// The node driver: one object per host backend, chosen by the host's URI like libvirt's own
// driver model (open_node_driver). A node is named by backend_names' domain_name and lives on
// its host until destroy(); the host is the source of truth for its state (no shadow copy in
// the driver), so a restarted AM finds its nodes again. Every operation throws GeniError:
// kSearchFailed for an unknown node, kAlreadyExists for a second define, kUnsupported for an
// operation the backend lacks, kServerError when the host refuses.
#pragma once

#include "federation/node_state.h"

#include "common/geni_error.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace federa::federation {

// A bootable image as the operator configured it. A disk image is never written: each node gets
// a copy-on-write qcow2 overlay of it. Kernel-boot images get the node's seed (hostname, user,
// SSH keys, addresses; see node_seed.h) appended to their initrd.
struct Image {
  std::filesystem::path kernel;  // direct kernel boot; empty = boot from the disk
  std::filesystem::path initrd;
  std::string cmdline;
  std::filesystem::path disk;  // base image; empty = diskless
  std::string disk_format = "qcow2";
};

// One port of a node on a slice link: the tap the host creates for it, on the link's bridge.
struct NodePort {
  std::string tap;      // backend_names DeviceKind::kTap
  std::string bridge;   // the link's bridge on this host (LinkDriver::bridge_name)
  std::string mac;      // "02:.." (locally administered), see port_mac
  std::string address;  // inside the node, CIDR, e.g. "10.77.0.2/24"
  int mtu = 0;          // the segment's MTU (LinkDriver::mtu); 0 = the default
};

struct NodeSpec {
  std::string name;   // domain_name(slice, client_id)
  std::string image;  // key into NodeDriverOptions::images
  int vcpus = 1;
  std::int64_t memory_mb = 128;
  std::vector<NodePort> ports;
  std::string login_user;  // from geni_users
  std::vector<std::string> ssh_keys;
  // QEMU nodes: the host port forwarded to the node's port 22 over a login NIC of its own
  // (QEMU user networking; the guest sees it as kLoginMac with kLoginAddress); 0 = none.
  int login_port = 0;
};

inline constexpr const char* kLoginMac = "52:54:00:fd:00:16";
inline constexpr const char* kLoginAddress = "10.0.2.15/24";

// How to reach a node: what the manifest's <login> and the console path report.
struct LoginInfo {
  std::string authentication = "ssh-keys";
  std::string hostname;  // NodeDriverOptions::login_host with a login port, else the node's address
                         // on its first slice link (reachable from the slice only)
  int port = 22;
  std::string username;
  std::filesystem::path console;  // serial console log on the host; empty if the backend has none
};

struct NodeDriverOptions {
  std::filesystem::path state_dir;  // overlays, seeds, console logs: <state_dir>/<node name>.*
  std::map<std::string, Image> images;
  // QEMU backends: "tcg" (always works) or "kvm" (only where accelerator_boots("kvm") said yes).
  std::string accelerator = "tcg";
  // Nodes with a login port: the host address the forward listens on, and the name
  // experimenters are told to connect to.
  std::string login_bind = "0.0.0.0";
  std::string login_host = "127.0.0.1";
  // How another host's libvirtd reaches this one for peer-to-peer migration, e.g.
  // "qemu+tcp://10.200.0.2/system"; "" = the driver's own URI.
  std::string peer_uri;
};

// What QEMU reported about a finished memory job (snapshot or migration); 0 where the backend
// reports nothing (the test driver).
// snapshot()'s `at_pause` returned after the node had resumed: what it did at the snapshot
// point may have come too late (a live slice snapshot then falls back to stopping the world).
class SnapshotPointMissed : public GeniError {
 public:
  explicit SnapshotPointMissed(const std::string& node)
      : GeniError(GeniCode::kServerError, "node " + node + " resumed before its snapshot point was marked") {}
};

struct JobStats {
  double downtime_ms = 0;  // how long the guest was stopped
  double total_ms = 0;     // the whole job, from QEMU's view
  double wall_ms = 0;      // the API call, as the caller saw it
  std::uint64_t memory_bytes = 0;
  double paused_ms = 0;    // a live snapshot's stop, from QEMU's STOP and RESUME events (0: unknown)
  // A live snapshot's STOP, the end of its copy (QEMU's MIGRATION event, status "completed") and
  // its RESUME, as QEMU stamped them (Unix epoch, µs; 0: unknown).
  std::int64_t stopped_at_us = 0, copy_ended_at_us = 0, resumed_at_us = 0;
  std::uint64_t disk_bytes = 0;  // a snapshot's copy of the node's disk (0: diskless)
};

// Where snapshot() keeps the disk of a node with one, as it was at the snapshot point: beside
// the memory image, "<dir>/<node>.mem" -> "<dir>/<node>.disk.qcow2".
std::filesystem::path snapshot_disk_file(const std::filesystem::path& memory_file);

class NodeDriver {
 public:
  virtual ~NodeDriver() = default;

  // Creates the node (disk overlay, seed, persistent definition), shut off.
  virtual void define(const NodeSpec& spec) = 0;
  virtual void start(const std::string& node) = 0;
  // Powers off; disks and definition are kept.
  virtual void stop(const std::string& node) = 0;
  virtual void restart(const std::string& node) = 0;
  // Stops if needed, removes the definition and every file define() made. Idempotent.
  virtual void destroy(const std::string& node) = 0;
  virtual NodeStatus status(const std::string& node) = 0;
  // Pause in memory / continue (the isolation primitive and the start of a snapshot).
  virtual void suspend(const std::string& node) = 0;
  virtual void resume(const std::string& node) = 0;
  // Memory state to a file (the node is then shut off) / back from it (running).
  virtual void save(const std::string& node, const std::filesystem::path& file) = 0;
  virtual void restore(const std::filesystem::path& file) = 0;
  // An external memory snapshot into `memory_file`; the node stays running (or paused) as it
  // was. `live` lets QEMU copy memory while the guest runs (it stops only for the last pass).
  // `at_pause`, if given, is called once while the node is stopped at the instant its image
  // holds (its snapshot point), on another thread; snapshot() returns after it. If the backend
  // cannot show that it returned before the node ran again, snapshot() throws
  // SnapshotPointMissed (the image is written all the same). A node with a disk also gets its
  // disk as it was at that point in snapshot_disk_file(memory_file); its own disk goes on.
  virtual JobStats snapshot(const std::string& node, const std::filesystem::path& memory_file, bool live,
                            const std::function<void()>& at_pause = {}) = 0;
  // Whether a stopped node's frame reader still takes one frame from a port and keeps it, in
  // neither the node's image nor the port, until the node runs: QEMU's own virtio-net does
  // (libvirt uses it for TCG guests); vhost-net (KVM guests) and a namespace's veth do not.
  // A live snapshot's count of the frames in a node's image depends on it.
  virtual bool keeps_a_frame_when_stopped() const = 0;
  // Replaces the node's current run by the state in `memory_file` (from snapshot()), paused,
  // and its disk by the one kept with it.
  virtual void restore_paused(const std::string& node, const std::filesystem::path& memory_file) = 0;
  // Live peer-to-peer migration to `destination`'s host: the node keeps its MAC, addresses and
  // memory, is defined there and undefined here. `ports_there` are its ports on the destination
  // (LinkDriver::vm_port for that host: same tap and MAC, that host's bridge of each link); its
  // taps join those bridges. Throws kUnsupported where the backend cannot.
  virtual JobStats migrate(const std::string& node, NodeDriver& destination,
                           const std::vector<NodePort>& ports_there) = 0;
  virtual LoginInfo login(const std::string& node) = 0;
  // Replaces the node's SSH keys; a running node sees them after its next restart.
  virtual void update_keys(const std::string& node, const std::vector<std::string>& keys) = 0;
  // Every node on this host named by the federa scheme (for the sweep).
  virtual std::vector<std::string> federa_nodes() = 0;
};

// "test:///default", "test:///<file.xml>", "qemu:///system", "qemu:///embed?root=DIR", ...,
// "netns:///" and "netns:///<host netns>" (network-namespace nodes, netns_node_driver.h).
// Throws GeniError(kUnsupported) for a scheme without a driver, kServerError if it cannot open.
std::unique_ptr<NodeDriver> open_node_driver(const std::string& uri, const NodeDriverOptions& options);

}  // namespace federa::federation
