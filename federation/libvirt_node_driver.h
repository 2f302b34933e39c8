// The node driver over the libvirt C API: test:///default (in-process, no daemon: the embedded
// default), test:///<file.xml> (a private in-process host per connection), and qemu:///system,
// qemu:///session or qemu:///embed?root=DIR (daemon-less; DIR/etc/qemu.conf is given
// stdio_handler = "file" when it lacks one). QEMU domains run under TCG (type 'qemu') unless
// the accelerator is "kvm" and accelerator_boots() proved a stock kernel boots under KVM.
// A QEMU guest is ready (geni_ready) once its serial console shows kGuestReadyMarker; a test
// driver domain is ready as soon as it runs.
#pragma once

#include "federation/node_driver.h"

#include <libvirt/libvirt.h>

#include <string>

namespace federa::federation {

inline constexpr const char* kGuestReadyMarker = "federa-ready";

class LibvirtNodeDriver final : public NodeDriver {
 public:
  // `virt_type` is "test", "qemu" or "kvm"; see open_node_driver.
  LibvirtNodeDriver(const std::string& uri, std::string virt_type, NodeDriverOptions options);
  ~LibvirtNodeDriver() override;
  LibvirtNodeDriver(const LibvirtNodeDriver&) = delete;
  LibvirtNodeDriver& operator=(const LibvirtNodeDriver&) = delete;

  void define(const NodeSpec& spec) override;
  void start(const std::string& node) override;
  void stop(const std::string& node) override;
  void restart(const std::string& node) override;
  void destroy(const std::string& node) override;
  NodeStatus status(const std::string& node) override;
  void suspend(const std::string& node) override;
  void resume(const std::string& node) override;
  void save(const std::string& node, const std::filesystem::path& file) override;
  void restore(const std::filesystem::path& file) override;
  // test:///: a save and a restore (the test driver writes no external memory files). A live
  // QEMU snapshot runs `at_pause` from QEMU's STOP event (PauseWatch); elsewhere the driver
  // pauses the node around at_pause and the snapshot. A QEMU node's disk overlay is frozen by
  // an external disk snapshot taken with the memory (the guest writes to a new top meanwhile),
  // copied beside the image, and the top committed back into it (active commit and pivot), so
  // the node's disk stays one overlay on its image. test:///: the overlay is copied.
  JobStats snapshot(const std::string& node, const std::filesystem::path& memory_file, bool live,
                    const std::function<void()>& at_pause = {}) override;
  // QEMU: destroy, the kept disk copied over the overlay, virDomainRestoreFlags(PAUSED),
  // because libvirt 9.0 cannot revert to an external snapshot. test:///: destroy + restore +
  // suspend.
  bool keeps_a_frame_when_stopped() const override;
  void restore_paused(const std::string& node, const std::filesystem::path& memory_file) override;
  // virDomainMigrateToURI3(P2P | LIVE | PERSIST_DEST | UNDEFINE_SOURCE) to the destination's
  // peer URI, with the domain XML's bridges (and metadata) renamed to `ports_there`'s, and the
  // downtime limit migration_downtime.h chooses for the guest (20 or 300 ms); the figures are
  // the destination's completed job. A disk overlay stays where it is (the state directory all
  // hosts share) and QEMU hands it over. kUnsupported on test:///.
  JobStats migrate(const std::string& node, NodeDriver& destination,
                   const std::vector<NodePort>& ports_there) override;
  LoginInfo login(const std::string& node) override;
  void update_keys(const std::string& node, const std::vector<std::string>& keys) override;
  std::vector<std::string> federa_nodes() override;

 private:
  class Domain;
  Domain lookup(const std::string& node);
  const Image& image(const std::string& name) const;
  std::filesystem::path file(const std::string& node, const char* suffix) const;
  void write_seed(const NodeSpec& spec, const Image& image);
  NodeSpec metadata(const Domain& domain, const std::string& node);
  bool guest_ready(const std::string& node) const;
  JobStats completed_job(const std::string& node);
  std::string prepare_snapshot(const std::string& node, const std::filesystem::path& memory_file);
  void keep_disk(const Domain& domain, const std::string& node, const std::filesystem::path& memory_file,
                 JobStats& stats);
  void merge_top(const Domain& domain, const std::string& node);
  void limit_downtime(const Domain& domain, const std::string& node, unsigned long long ms);
  void merge_pending_top(const std::string& node);
  std::string xml_for(const std::string& node, const std::vector<NodePort>& ports_there);
  const std::string& peer_uri() const;

  std::string uri_;
  std::string virt_type_;
  NodeDriverOptions options_;
  virConnectPtr conn_ = nullptr;
};

// Boots `kernel` (+ `initrd`) with qemu-system-x86_64 -accel `accelerator` ("kvm" or "tcg")
// and waits up to `timeout_s` for the kernel's first console line (the kernel then panics for
// want of an init and QEMU exits). Use it before trusting KVM: where /dev/kvm exists but cannot
// run a stock kernel (nested PVM, see docs/backends.md) it is false. `why` says what was seen.
bool accelerator_boots(const std::string& accelerator, const std::filesystem::path& kernel,
                       const std::filesystem::path& initrd, int timeout_s, std::string& why);

}  // namespace federa::federation
