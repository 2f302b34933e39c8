// The node driver for network-namespace nodes ("netns:///" or "netns:///<host netns>"): a node
// is a Linux network namespace with one veth per slice-link port, the host end (NodePort::tap)
// a port of the link's bridge in the host's namespace, the node end eth<i> with the port's MAC,
// address and MTU. No kernel, no memory image: start/stop and suspend/resume bring the node's
// ports up or down, save/restore and migrate are kUnsupported. The namespace is the source of truth for
// existence; the power state and the node's spec live in <state_dir>/<node>.netns.json (written
// before the namespace is made), so a restarted AM finds both, and federa_nodes() lists exactly
// the nodes of this state directory (other AMs' namespaces on the machine are not ours).
// Needs CAP_NET_ADMIN and CAP_SYS_ADMIN (root).
#pragma once

#include "federation/node_driver.h"

#include <filesystem>
#include <string>

namespace federa::federation {

class NetnsNodeDriver final : public NodeDriver {
 public:
  // `host_netns`: where the bridges and the veths' host ends are ("" = the host's own).
  NetnsNodeDriver(std::string host_netns, NodeDriverOptions options);

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
  // A namespace node keeps no memory state: its snapshot is an empty file (a slice snapshot
  // still records the frames on its links); restore_paused pauses it. No migration. Having no
  // state, its snapshot point is any instant: `at_pause` runs at once.
  JobStats snapshot(const std::string& node, const std::filesystem::path& memory_file, bool live,
                    const std::function<void()>& at_pause = {}) override;
  bool keeps_a_frame_when_stopped() const override;
  void restore_paused(const std::string& node, const std::filesystem::path& memory_file) override;
  JobStats migrate(const std::string& node, NodeDriver& destination, const std::vector<NodePort>& ports_there) override;
  LoginInfo login(const std::string& node) override;
  void update_keys(const std::string& node, const std::vector<std::string>& keys) override;
  std::vector<std::string> federa_nodes() override;

 private:
  std::filesystem::path state_file(const std::string& node) const;
  NodeSpec load(const std::string& node) const;
  void set_ports(const std::string& node, bool up, DomainState state);

  std::string host_netns_;
  NodeDriverOptions options_;
};

}  // namespace federa::federation
