// The backend worker: makes the hosts match the store, on its own thread. Every pass reads the
// store (one read transaction), plans every slice with provisioned slivers (backend_plan.h),
// and converges:
//   - nodes and devices named by federa's scheme that no provisioned sliver wants are destroyed
//     (the first pass is the startup sweep: whatever a crash left is removed, live slivers are
//     rebuilt where their nodes are missing), and so are the snapshots of slices with nothing
//     provisioned here any more (deleted or expired);
//   - each link sliver's segment exists (bridge, VXLAN port) and is cut while the slice is shut
//     down or the link stopped;
//   - slivers with a pending slice operation (federa_snapshot, federa_restore) get it done on
//     this thread, one at a time, with progress written to their rows while it runs
//     (snapshot/slice_snapshotter.h: a failure leaves the slice running as before);
//   - each node sliver's node exists and is on, off or paused as its state asks:
//     geni_configuring/geni_ready -> on, geni_stopping/geni_notready -> off, shut-down slice ->
//     paused; pending "restart" and "update_keys" are done once; a QEMU node gets a host port
//     forwarded to its SSH (BackendOptions::first_login_port..), recorded as its login;
// then writes what the hosts report (states from the domains, the cause in geni_error, progress,
// login) in one transaction, each row only if no API call changed it meanwhile. A node that
// cannot be built is destroyed again (rollback) and its sliver goes to geni_failed with the
// host's refusal. Nothing here is remembered between passes except open drivers: a restarted AM
// picks up where the last one stopped. API calls wake() the worker; otherwise it runs every
// `interval`. With several AM processes on one store, run the worker in exactly one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "federation/inventory_holder.h"
#include "federation/link_driver.h"
#include "federation/node_driver.h"
#include "snapshot/slice_snapshotter.h"
#include "store/store.h"

namespace federa::am {

struct BackendOptions {
  federation::NodeDriverOptions nodes;  // state_dir, images, accelerator, login_bind/login_host
  std::string default_image;            // for requests that name no disk image
  std::chrono::milliseconds interval{1000};
  // Host ports forwarded to QEMU nodes' SSH, one per node of the aggregate, kept for the node's
  // life (the sliver's login records it).
  int first_login_port = 22000;
  int login_ports = 1000;
};

// What one pass did, for logs and tests.
struct PassReport {
  int built = 0;       // nodes defined and segments created
  int changed = 0;     // sliver rows updated
  int swept = 0;       // orphan nodes, devices, tables and snapshots removed
  int failed = 0;      // slivers that went to geni_failed in this pass
};

// Where a link sliver's traffic can be counted: the host end of its first node's port.
struct LinkDevice {
  std::string sliver_urn;
  std::string netns;
  std::string device;
};

class Provisioner {
 public:
  Provisioner(store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory, BackendOptions options);
  ~Provisioner();
  Provisioner(const Provisioner&) = delete;
  Provisioner& operator=(const Provisioner&) = delete;

  // Runs passes on a thread until stop() (or destruction).
  void start();
  void stop();
  // Asks for a pass now (after an API call changed what the hosts should have).
  void wake();
  // One pass on the calling thread.
  PassReport reconcile();
  // The real link slivers' devices as of the last pass (thread-safe).
  std::vector<LinkDevice> link_devices() const;

 private:
  class Pass;
  // The host's driver, opened once (nullptr, logged, while it cannot be opened).
  federation::NodeDriver* driver(const std::string& uri, const std::string& peer_uri);
  void run(std::stop_token stop);

  store::Store& store_;
  std::shared_ptr<federation::InventoryHolder> inventory_;
  BackendOptions options_;
  federation::LinkDriver links_;
  snapshot::SliceSnapshotter snapshots_;
  std::map<std::string, std::unique_ptr<federation::NodeDriver>> drivers_;  // by URI and peer URI
  std::map<std::string, std::string> driver_errors_;  // uri -> why it cannot be opened (logged once)
  std::mutex pass_mutex_;
  mutable std::mutex devices_mutex_;
  std::vector<LinkDevice> link_devices_;
  std::mutex wake_mutex_;
  std::condition_variable_any woken_;
  bool wake_requested_ = false;
  std::jthread thread_;
};

}  // namespace federa::am
