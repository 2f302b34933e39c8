#include "federation/libvirt_node_driver.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/domain_xml.h"
#include "federation/migration_downtime.h"
#include "federation/node_seed.h"
#include "federation/pause_watch.h"

#include "common/geni_error.h"
#include "common/log.h"

#include <libvirt/virterror.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <exception>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>
#include <utility>

namespace federa::federation {
namespace {

[[noreturn]] void fail(const std::string& what, GeniCode code = GeniCode::kServerError) {
  const char* why = virGetLastErrorMessage();
  throw GeniError(code, what + ": " + (why ? why : "unknown libvirt error"));
}

void ignore_libvirt_error(void*, virErrorPtr) {}

// The longest stop QEMU may impose on a guest for the last pass of a live memory snapshot.
// Migrations choose theirs (migration_downtime.h) and must ask every time: the limit stays with
// the QEMU process, so a live snapshot's would hold.
constexpr unsigned long long kLiveSnapshotDowntimeMs = kShortDowntimeMs;

// How long a snapshot waits for the guest's writes since its snapshot point to merge back.
constexpr std::chrono::seconds kMergeTimeout{60};

void init_libvirt() {
  static std::once_flag once;
  std::call_once(once, [] {
    virInitialize();
    virSetErrorFunc(nullptr, ignore_libvirt_error);
    // qemu:///embed (and domain events) need an event loop; it runs for the process's life.
    if (virEventRegisterDefaultImpl() != 0) fail("cannot start libvirt's event loop");
    std::thread([] {
      while (virEventRunDefaultImpl() == 0) {
      }
    }).detach();
  });
}

DomainState domain_state(int state) {
  switch (state) {
    case VIR_DOMAIN_NOSTATE: return DomainState::kNoState;
    case VIR_DOMAIN_RUNNING: return DomainState::kRunning;
    case VIR_DOMAIN_BLOCKED: return DomainState::kBlocked;
    case VIR_DOMAIN_PAUSED: return DomainState::kPaused;
    case VIR_DOMAIN_SHUTDOWN: return DomainState::kShutdown;
    case VIR_DOMAIN_SHUTOFF: return DomainState::kShutoff;
    case VIR_DOMAIN_CRASHED: return DomainState::kCrashed;
    case VIR_DOMAIN_PMSUSPENDED: return DomainState::kPmSuspended;
    default: return DomainState::kNoState;
  }
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// qemu:///embed needs its own stdio handler, or QEMU's output goes to a virtlogd that is not
// there. The embedded driver runs QEMU as the AM's own user (root) unless the operator's
// qemu.conf says otherwise, so it need not chown images nor remember owners in xattrs.
void prepare_embed_root(const std::string& uri) {
  const auto at = uri.find("root=");
  if (uri.rfind("qemu:///embed", 0) != 0 || at == std::string::npos) return;
  const std::filesystem::path root = uri.substr(at + 5, uri.find('&', at) - at - 5);
  const auto conf = root / "etc" / "qemu.conf";
  const std::string text = read_text(conf);
  std::filesystem::create_directories(conf.parent_path());
  std::ofstream out(conf, std::ios::app);
  if (text.find("stdio_handler") == std::string::npos) out << "stdio_handler = \"file\"\n";
  if (text.find("user") == std::string::npos) {
    out << "user = \"root\"\ngroup = \"root\"\nremember_owner = 0\n";
  }
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::uint64_t typed_ullong(virTypedParameterPtr params, int count, const char* name) {
  unsigned long long value = 0;
  return virTypedParamsGetULLong(params, count, name, &value) == 1 ? value : 0;
}

void copy_disk(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, error);
  if (error) {
    throw GeniError(GeniCode::kServerError,
                    "cannot copy the disk " + from.string() + " to " + to.string() + ": " + error.message());
  }
}

std::string address_without_prefix(const std::string& cidr) { return cidr.substr(0, cidr.find('/')); }

}  // namespace

// Owns a virDomainPtr.
class LibvirtNodeDriver::Domain {
 public:
  explicit Domain(virDomainPtr dom) : dom_(dom) {}
  Domain(Domain&& other) noexcept : dom_(std::exchange(other.dom_, nullptr)) {}
  ~Domain() {
    if (dom_) virDomainFree(dom_);
  }
  virDomainPtr get() const { return dom_; }
  explicit operator bool() const { return dom_ != nullptr; }
  bool active() const { return virDomainIsActive(dom_) == 1; }

 private:
  virDomainPtr dom_;
};

LibvirtNodeDriver::LibvirtNodeDriver(const std::string& uri, std::string virt_type,
                                     NodeDriverOptions options)
    : uri_(uri), virt_type_(std::move(virt_type)), options_(std::move(options)) {
  init_libvirt();
  prepare_embed_root(uri);
  std::filesystem::create_directories(options_.state_dir);
  conn_ = virConnectOpen(uri.c_str());
  if (!conn_) fail("cannot open node backend " + uri);
}

LibvirtNodeDriver::~LibvirtNodeDriver() { virConnectClose(conn_); }

LibvirtNodeDriver::Domain LibvirtNodeDriver::lookup(const std::string& node) {
  Domain domain(virDomainLookupByName(conn_, node.c_str()));
  if (!domain) fail("no node " + node + " on " + uri_, GeniCode::kSearchFailed);
  return domain;
}

const Image& LibvirtNodeDriver::image(const std::string& name) const {
  const auto it = options_.images.find(name);
  if (it == options_.images.end()) {
    throw GeniError(GeniCode::kBadArgs, "unknown disk image '" + name + "' on " + uri_ +
                                            " (the host's configured images are the only choices)");
  }
  return it->second;
}

std::filesystem::path LibvirtNodeDriver::file(const std::string& node, const char* suffix) const {
  return options_.state_dir / (node + suffix);
}

void LibvirtNodeDriver::write_seed(const NodeSpec& spec, const Image& image) {
  if (!image.initrd.empty()) write_seeded_initrd(image.initrd, spec, file(spec.name, ".initrd"));
}

void LibvirtNodeDriver::define(const NodeSpec& spec) {
  if (Domain(virDomainLookupByName(conn_, spec.name.c_str()))) {
    throw GeniError(GeniCode::kAlreadyExists, "node " + spec.name + " already exists on " + uri_);
  }
  const Image& base = image(spec.image);
  DomainFiles files;
  if (!base.disk.empty()) {
    files.overlay = file(spec.name, ".qcow2");
    run_checked({"qemu-img", "create", "-q", "-f", "qcow2", "-b", std::filesystem::absolute(base.disk).string(),
                 "-F", base.disk_format, files.overlay.string()});
  }
  if (!base.initrd.empty()) files.initrd = file(spec.name, ".initrd");
  if (virt_type_ != "test") files.console = file(spec.name, ".console");
  write_seed(spec, base);
  const std::string xml = domain_xml(spec, base, files, virt_type_, options_.login_bind);
  Domain domain(virDomainDefineXML(conn_, xml.c_str()));
  if (!domain) fail("cannot define node " + spec.name + " on " + uri_);
}

void LibvirtNodeDriver::start(const std::string& node) {
  const Domain domain = lookup(node);  // alive until fail() has read libvirt's error
  if (virDomainCreate(domain.get()) != 0) fail("cannot start node " + node);
}

void LibvirtNodeDriver::stop(const std::string& node) {
  Domain domain = lookup(node);
  if (domain.active() && virDomainDestroy(domain.get()) != 0) fail("cannot stop node " + node);
}

void LibvirtNodeDriver::restart(const std::string& node) {
  stop(node);
  start(node);
}

void LibvirtNodeDriver::destroy(const std::string& node) {
  if (Domain domain{virDomainLookupByName(conn_, node.c_str())}) {
    if (domain.active() && virDomainDestroy(domain.get()) != 0) fail("cannot stop node " + node);
    const unsigned flags = VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (virDomainUndefineFlags(domain.get(), flags) != 0) fail("cannot undefine node " + node);
  }
  for (const char* suffix : {".qcow2", ".top.qcow2", ".initrd", ".console"}) std::filesystem::remove(file(node, suffix));
}

NodeStatus LibvirtNodeDriver::status(const std::string& node) {
  Domain domain(virDomainLookupByName(conn_, node.c_str()));
  if (!domain) return {};
  int state = 0, reason = 0;
  if (virDomainGetState(domain.get(), &state, &reason, 0) != 0) fail("cannot read the state of " + node);
  NodeStatus status{domain_state(state), reason, false};
  if (status.state == DomainState::kRunning || status.state == DomainState::kBlocked) {
    status.guest_ready = guest_ready(node);
  }
  return status;
}

bool LibvirtNodeDriver::guest_ready(const std::string& node) const {
  if (virt_type_ == "test") return true;
  return read_text(file(node, ".console")).find(kGuestReadyMarker) != std::string::npos;
}

void LibvirtNodeDriver::suspend(const std::string& node) {
  const Domain domain = lookup(node);  // alive until fail() has read libvirt's error
  if (virDomainSuspend(domain.get()) != 0) fail("cannot pause node " + node);
}

void LibvirtNodeDriver::resume(const std::string& node) {
  const Domain domain = lookup(node);  // alive until fail() has read libvirt's error
  if (virDomainResume(domain.get()) != 0) fail("cannot resume node " + node);
  if (virt_type_ != "test") merge_pending_top(node);
}

void LibvirtNodeDriver::save(const std::string& node, const std::filesystem::path& file) {
  const Domain domain = lookup(node);
  if (virDomainSave(domain.get(), file.c_str()) != 0) fail("cannot save node " + node);
}

void LibvirtNodeDriver::restore(const std::filesystem::path& file) {
  if (virDomainRestore(conn_, file.c_str()) != 0) fail("cannot restore a node from " + file.string());
}

JobStats LibvirtNodeDriver::completed_job(const std::string& node) {
  int type = 0, count = 0;
  virTypedParameterPtr params = nullptr;
  if (virDomainGetJobStats(lookup(node).get(), &type, &params, &count, VIR_DOMAIN_JOB_STATS_COMPLETED) != 0) {
    return {};
  }
  JobStats stats;
  stats.downtime_ms = static_cast<double>(typed_ullong(params, count, VIR_DOMAIN_JOB_DOWNTIME));
  stats.total_ms = static_cast<double>(typed_ullong(params, count, VIR_DOMAIN_JOB_TIME_ELAPSED));
  stats.memory_bytes = typed_ullong(params, count, VIR_DOMAIN_JOB_MEMORY_TOTAL);
  virTypedParamsFree(params, count);
  return stats;
}

JobStats LibvirtNodeDriver::snapshot(const std::string& node, const std::filesystem::path& memory_file, bool live,
                                     const std::function<void()>& at_pause) {
  const auto start = std::chrono::steady_clock::now();
  Domain domain = lookup(node);
  const bool was_paused = status(node).state == DomainState::kPaused;
  // Where QEMU does not stop the guest itself (test driver, non-live, already paused), the
  // snapshot point is a pause of our own around the call.
  if (at_pause && !(live && virt_type_ != "test" && !was_paused)) {
    if (!was_paused) suspend(node);
    JobStats stats;
    try {
      at_pause();
      stats = snapshot(node, memory_file, false);
    } catch (...) {
      if (!was_paused) resume(node);
      throw;
    }
    if (!was_paused) resume(node);
    stats.wall_ms = ms_since(start);
    return stats;
  }
  if (virt_type_ == "test") {
    save(node, memory_file);
    restore(memory_file);
    if (was_paused) suspend(node);
    JobStats stats;
    keep_disk(domain, node, memory_file, stats);
    stats.wall_ms = ms_since(start);
    return stats;
  }
  std::optional<PauseWatch> watch;
  if (at_pause) watch.emplace(conn_, domain.get(), at_pause);
  if (live) limit_downtime(domain, node, kLiveSnapshotDowntimeMs);
  const std::string xml = prepare_snapshot(node, memory_file);
  const unsigned flags = VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | (live ? VIR_DOMAIN_SNAPSHOT_CREATE_LIVE : 0) |
                        (std::filesystem::exists(file(node, ".top.qcow2")) ? VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT : 0);
  // (the top prepare_snapshot made: libvirt creating it would keep the guest stopped longer)
  virDomainSnapshotPtr snap = virDomainSnapshotCreateXML(domain.get(), xml.c_str(), flags);
  if (!snap) fail("cannot snapshot node " + node + " into " + memory_file.string());
  virDomainSnapshotFree(snap);
  JobStats stats = completed_job(node);
  keep_disk(domain, node, memory_file, stats);
  if (watch) {
    if (!watch->marked_in_pause()) throw SnapshotPointMissed(node);
    stats.paused_ms = watch->paused_ms();
    stats.stopped_at_us = watch->stopped_us();
    stats.copy_ended_at_us = watch->copy_ended_us();
    stats.resumed_at_us = watch->resumed_us();
  }
  stats.wall_ms = ms_since(start);
  return stats;
}

// The most QEMU may stop the guest for the last pass of its next live copy (QEMU's default is
// 300 ms; a shorter stop makes QEMU iterate the copy longer). Best effort: an older QEMU keeps
// its default.
void LibvirtNodeDriver::limit_downtime(const Domain& domain, const std::string& node, unsigned long long ms) {
  if (virDomainMigrateSetMaxDowntime(domain.get(), ms, 0) != 0) {
    logger("backend")->warn("event=downtime_unset node={} error={}", node, log_value(virGetLastErrorMessage()));
  }
}

// The snapshot's XML: an external memory snapshot; with a disk, an external disk snapshot at the
// same point onto a new top (libvirt takes both while the guest is stopped), which is made here,
// before the stop: libvirt's own blockdev-create of it added 30-60 ms to the guest's stop.
std::string LibvirtNodeDriver::prepare_snapshot(const std::string& node, const std::filesystem::path& memory_file) {
  std::string xml = "<domainsnapshot><name>federa-" + memory_file.stem().string() +
                    "</name><memory snapshot='external' file='" + memory_file.string() + "'/>";
  if (std::filesystem::exists(file(node, ".qcow2"))) {
    merge_pending_top(node);  // left by a paused node, or an AM that stopped before merging
    const auto overlay = file(node, ".qcow2").string();
    const auto info = nlohmann::json::parse(run_checked({"qemu-img", "info", "-U", "--output=json", overlay}));
    run_checked({"qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", overlay, "-F", "qcow2",
                 file(node, ".top.qcow2").string(), std::to_string(info.at("virtual-size").get<std::uint64_t>())});
    xml += "<disks><disk name='vda' snapshot='external' type='file'><driver type='qcow2'/><source file='" +
           file(node, ".top.qcow2").string() + "'/></disk></disks>";
  }
  return xml + "</domainsnapshot>";
}

// The frozen overlay is the disk at the snapshot point: it goes beside the image, then the top
// the guest has written since goes back into it, even if the copy failed. A paused node's disks
// are inactive after its memory was written (QEMU hands them over as at a migration's end)
// until it runs again: its top is merged by resume().
void LibvirtNodeDriver::keep_disk(const Domain& domain, const std::string& node,
                                  const std::filesystem::path& memory_file, JobStats& stats) {
  const auto overlay = file(node, ".qcow2");
  if (!std::filesystem::exists(overlay)) return;
  const auto kept = snapshot_disk_file(memory_file);
  std::exception_ptr failed;
  try {
    copy_disk(overlay, kept);
  } catch (...) {
    failed = std::current_exception();
  }
  if (virt_type_ != "test" && status(node).state != DomainState::kPaused) merge_top(domain, node);
  if (failed) std::rethrow_exception(failed);
  stats.disk_bytes = std::filesystem::file_size(kept);
}

// Active commit of the top into its backing overlay, then the pivot back onto the overlay once
// QEMU reports the job ready (libvirt refuses the pivot with VIR_ERR_BLOCK_COPY_ACTIVE until then).
void LibvirtNodeDriver::merge_top(const Domain& domain, const std::string& node) {
  const unsigned flags = VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | VIR_DOMAIN_BLOCK_COMMIT_SHALLOW;
  if (virDomainBlockCommit(domain.get(), "vda", nullptr, nullptr, 0, flags) != 0) {
    fail("cannot merge the disk of node " + node + " back into its overlay");
  }
  const auto deadline = std::chrono::steady_clock::now() + kMergeTimeout;
  while (virDomainBlockJobAbort(domain.get(), "vda", VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) != 0) {
    const virErrorPtr error = virGetLastError();
    if (!error || error->code != VIR_ERR_BLOCK_COPY_ACTIVE || std::chrono::steady_clock::now() > deadline) {
      fail("cannot pivot the disk of node " + node + " back onto its overlay");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::filesystem::remove(file(node, ".top.qcow2"));
}

void LibvirtNodeDriver::merge_pending_top(const std::string& node) {
  const auto top = file(node, ".top.qcow2");
  if (!std::filesystem::exists(top)) return;
  if (xml_for(node, {}).find(top.string()) != std::string::npos) {
    merge_top(lookup(node), node);
  } else {
    std::filesystem::remove(top);
  }
}

// libvirt gives a domain vhost-net only under KVM; a TCG guest's taps are read by QEMU itself.
bool LibvirtNodeDriver::keeps_a_frame_when_stopped() const { return virt_type_ == "qemu"; }

// The image carries the definition the node had when it was taken; the node's definition here
// (its bridges on this host, if it has migrated since) replaces it.
void LibvirtNodeDriver::restore_paused(const std::string& node, const std::filesystem::path& memory_file) {
  std::string here;
  if (Domain domain{virDomainLookupByName(conn_, node.c_str())}) {
    // A top not merged yet (the node was paused since its last snapshot) gives way to the overlay.
    if (virt_type_ != "test") {
      here = xml_for(node, {});
      const std::string top = file(node, ".top.qcow2").string();
      for (auto at = here.find(top); at != std::string::npos; at = here.find(top, at)) {
        here.replace(at, top.size(), file(node, ".qcow2").string());
      }
    }
    if (domain.active() && virDomainDestroy(domain.get()) != 0) fail("cannot stop node " + node);
    std::filesystem::remove(file(node, ".top.qcow2"));
  }
  const auto kept = snapshot_disk_file(memory_file);
  if (std::filesystem::exists(kept)) copy_disk(kept, file(node, ".qcow2"));
  if (virt_type_ == "test") {
    restore(memory_file);
    suspend(node);
    return;
  }
  if (virDomainRestoreFlags(conn_, memory_file.c_str(), here.empty() ? nullptr : here.c_str(),
                            VIR_DOMAIN_SAVE_PAUSED) != 0) {
    fail("cannot restore node " + node + " from " + memory_file.string());
  }
}

const std::string& LibvirtNodeDriver::peer_uri() const { return options_.peer_uri.empty() ? uri_ : options_.peer_uri; }

// The node's migratable XML with each port's bridge replaced by the destination's bridge of the
// same tap: in the <interface> whose target is the tap, and in the federa metadata's port
// element naming it (libvirt quotes attributes with ', the metadata may come back with ").
std::string LibvirtNodeDriver::xml_for(const std::string& node, const std::vector<NodePort>& ports_there) {
  char* text = virDomainGetXMLDesc(lookup(node).get(), VIR_DOMAIN_XML_MIGRATABLE);
  if (!text) fail("cannot read the definition of " + node);
  std::string xml(text);
  free(text);
  static const std::regex kBridge(R"(bridge=(['"])[^'"]*(['"]))");
  for (const NodePort& there : ports_there) {
    const std::regex element("<interface[\\s\\S]*?</interface>|<[a-z:]*port [^>]*tap=['\"]" + there.tap + "['\"][^>]*>");
    std::string out;
    auto last = xml.cbegin();
    for (std::sregex_iterator it(xml.begin(), xml.end(), element), end; it != end; ++it) {
      std::string part = it->str();
      const bool ours = part.find("'" + there.tap + "'") != std::string::npos ||
                        part.find("\"" + there.tap + "\"") != std::string::npos;
      if (ours) part = std::regex_replace(part, kBridge, "bridge=$1" + there.bridge + "$2");
      out.append(last, xml.cbegin() + it->position()) += part;
      last = xml.cbegin() + it->position() + it->length();
    }
    xml = out.append(last, xml.cend());
  }
  // The guest arrives booted: its console log goes on (the readiness marker stays in it).
  static const std::regex kTruncate(R"(append=(['"])off(['"]))");
  return std::regex_replace(xml, kTruncate, "append=$1on$2");
}

JobStats LibvirtNodeDriver::migrate(const std::string& node, NodeDriver& destination,
                                    const std::vector<NodePort>& ports_there) {
  auto* target = dynamic_cast<LibvirtNodeDriver*>(&destination);
  if (virt_type_ == "test" || !target || target->virt_type_ == "test") {
    throw GeniError(GeniCode::kUnsupported, "node " + node + " cannot migrate from " + uri_ +
                                                " (live migration needs QEMU hosts on both sides)");
  }
  const auto start = std::chrono::steady_clock::now();
  // A node's disk overlay is in the state directory every host of the AM shares: the destination
  // opens the same file, which QEMU hands over itself (the source flushes and lets go of it when
  // the copy ends, the destination takes it when it runs). libvirt cannot tell such a directory
  // from a host's own (it knows cluster file systems by name), so it is told the move is safe.
  unsigned flags = VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;
  if (std::filesystem::exists(file(node, ".qcow2"))) flags |= VIR_MIGRATE_UNSAFE;
  const std::string xml = xml_for(node, ports_there);
  const Domain domain = lookup(node);  // freeing a domain is an API call: it would clear the error
  const unsigned long long downtime_ms = migration_downtime_ms(virt_type_, xml);
  limit_downtime(domain, node, downtime_ms);
  logger("backend")->info("event=migrate_start node={} to={} downtime_limit_ms={}", node, target->peer_uri(),
                          downtime_ms);
  virTypedParameterPtr params = nullptr;
  int count = 0, capacity = 0;
  virTypedParamsAddString(&params, &count, &capacity, VIR_MIGRATE_PARAM_DEST_XML, xml.c_str());
  const int migrated = virDomainMigrateToURI3(domain.get(), target->peer_uri().c_str(), params,
                                              static_cast<unsigned>(count), flags);
  if (migrated != 0) {
    const GeniError error(GeniCode::kServerError, "cannot migrate node " + node + " to " + target->peer_uri() +
                                                      ": " + (virGetLastErrorMessage() ?: "unknown libvirt error"));
    virTypedParamsFree(params, count);  // a public API call: it clears libvirt's last error
    throw error;
  }
  virTypedParamsFree(params, count);
  JobStats stats = target->completed_job(node);
  stats.wall_ms = ms_since(start);
  return stats;
}

NodeSpec LibvirtNodeDriver::metadata(const Domain& domain, const std::string& node) {
  char* xml = virDomainGetMetadata(domain.get(), VIR_DOMAIN_METADATA_ELEMENT, kNodeMetadataUri,
                                   VIR_DOMAIN_AFFECT_CONFIG);
  if (!xml) fail("node " + node + " has no federa metadata");
  const std::string text(xml);
  free(xml);
  return parse_node_metadata(text, node);
}

LoginInfo LibvirtNodeDriver::login(const std::string& node) {
  const NodeSpec spec = metadata(lookup(node), node);
  LoginInfo info;
  info.username = spec.login_user;
  if (spec.login_port > 0 && virt_type_ != "test") {
    info.hostname = options_.login_host;
    info.port = spec.login_port;
  } else if (!spec.ports.empty()) {
    info.hostname = address_without_prefix(spec.ports.front().address);
  }
  if (virt_type_ != "test") info.console = file(node, ".console");
  return info;
}

void LibvirtNodeDriver::update_keys(const std::string& node, const std::vector<std::string>& keys) {
  Domain domain = lookup(node);
  NodeSpec spec = metadata(domain, node);
  spec.ssh_keys = keys;
  write_seed(spec, image(spec.image));
  const std::string xml = node_metadata(spec, false);
  unsigned flags = VIR_DOMAIN_AFFECT_CONFIG | (domain.active() ? VIR_DOMAIN_AFFECT_LIVE : 0);
  if (virDomainSetMetadata(domain.get(), VIR_DOMAIN_METADATA_ELEMENT, xml.c_str(), "federa",
                           kNodeMetadataUri, flags) != 0) {
    fail("cannot record the new keys of " + node);
  }
}

std::vector<std::string> LibvirtNodeDriver::federa_nodes() {
  virDomainPtr* domains = nullptr;
  const int count = virConnectListAllDomains(conn_, &domains, 0);
  if (count < 0) fail("cannot list the nodes on " + uri_);
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    Domain domain(domains[i]);
    const std::string name = virDomainGetName(domain.get());
    if (is_federa_domain(name)) names.push_back(name);
  }
  free(domains);
  return names;
}

bool accelerator_boots(const std::string& accelerator, const std::filesystem::path& kernel,
                       const std::filesystem::path& initrd, int timeout_s, std::string& why) {
  if (accelerator == "kvm" && !std::filesystem::exists("/dev/kvm")) {
    why = "no /dev/kvm on this host";
    return false;
  }
  // rdinit points nowhere: a kernel that boots panics at once and -no-reboot ends QEMU.
  const CommandResult run = run_command(
      {"timeout", std::to_string(timeout_s), "qemu-system-x86_64", "-accel", accelerator, "-m", "128",
       "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot", "-kernel",
       kernel.string(), "-initrd", initrd.string(), "-append",
       "console=ttyS0 panic=-1 rdinit=/federa-boot-probe"});
  if (run.out.find("Linux version") != std::string::npos) {
    why = "a stock kernel boots under " + accelerator;
    return true;
  }
  why = run.exit_code == 124
            ? "a stock kernel printed nothing under " + accelerator + " within " + std::to_string(timeout_s) +
                  " s (for KVM: nested PVM?); use TCG"
            : "qemu-system-x86_64 -accel " + accelerator + " failed: " + run.err;
  return false;
}

}  // namespace federa::federation
