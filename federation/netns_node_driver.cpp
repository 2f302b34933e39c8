#include "federation/netns_node_driver.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"

#include "common/geni_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace federa::federation {
namespace {

std::string node_if(std::size_t index) { return "eth" + std::to_string(index + 1); }

nlohmann::json to_json(const NodeSpec& spec, DomainState state) {
  nlohmann::json ports = nlohmann::json::array();
  for (const NodePort& port : spec.ports) {
    ports.push_back({{"tap", port.tap}, {"bridge", port.bridge}, {"mac", port.mac}, {"address", port.address},
                     {"mtu", port.mtu}});
  }
  return {{"name", spec.name},         {"user", spec.login_user}, {"keys", spec.ssh_keys},
          {"ports", std::move(ports)}, {"state", to_string(state)}};
}

bool namespace_exists(const std::string& name) { return std::filesystem::exists("/run/netns/" + name); }

}  // namespace

NetnsNodeDriver::NetnsNodeDriver(std::string host_netns, NodeDriverOptions options)
    : host_netns_(std::move(host_netns)), options_(std::move(options)) {
  std::filesystem::create_directories(options_.state_dir);
  if (!host_netns_.empty() && !namespace_exists(host_netns_)) {
    throw GeniError(GeniCode::kServerError, "host network namespace '" + host_netns_ + "' does not exist");
  }
}

std::filesystem::path NetnsNodeDriver::state_file(const std::string& node) const {
  return options_.state_dir / (node + ".netns.json");
}

NodeSpec NetnsNodeDriver::load(const std::string& node) const {
  std::ifstream in(state_file(node));
  if (!in || !namespace_exists(node)) {
    throw GeniError(GeniCode::kSearchFailed, "no namespace node " + node + " on netns:///" + host_netns_);
  }
  const auto json = nlohmann::json::parse(in);
  NodeSpec spec;
  spec.name = node;
  spec.login_user = json.value("user", "");
  spec.ssh_keys = json.value("keys", std::vector<std::string>{});
  for (const auto& port : json.at("ports")) {
    spec.ports.push_back({port.at("tap"), port.at("bridge"), port.at("mac"), port.at("address"), port.at("mtu")});
  }
  return spec;
}

void NetnsNodeDriver::define(const NodeSpec& spec) {
  if (namespace_exists(spec.name)) {
    throw GeniError(GeniCode::kAlreadyExists, "namespace node " + spec.name + " already exists");
  }
  std::ofstream(state_file(spec.name)) << to_json(spec, DomainState::kShutoff).dump();  // first: a crash leaves a trace
  try {
    run_checked({"ip", "netns", "add", spec.name});
    std::string host_batch, node_batch = "link set lo up\n";
    for (std::size_t i = 0; i < spec.ports.size(); ++i) {
      const NodePort& port = spec.ports[i];
      const std::string mtu = std::to_string(port.mtu > 0 ? port.mtu : 1500);
      host_batch += "link add " + port.tap + " mtu " + mtu + " type veth peer name " + node_if(i) + " mtu " + mtu +
                    " address " + port.mac + " netns " + spec.name + "\nlink set " + port.tap + " master " +
                    port.bridge + " up\n";
      node_batch += "addr add " + port.address + " dev " + node_if(i) + "\n";
    }
    if (!host_batch.empty()) run_checked(ip_command(host_netns_, {"-batch", "-"}), host_batch);
    run_checked(ip_command(spec.name, {"-batch", "-"}), node_batch);
  } catch (const GeniError&) {
    destroy(spec.name);
    throw;
  }
}

void NetnsNodeDriver::set_ports(const std::string& node, bool up, DomainState state) {
  const NodeSpec spec = load(node);
  std::string batch;
  for (std::size_t i = 0; i < spec.ports.size(); ++i) {
    batch += "link set " + node_if(i) + (up ? " up\n" : " down\n");
  }
  if (!batch.empty()) run_checked(ip_command(node, {"-batch", "-"}), batch);
  std::ofstream(state_file(node)) << to_json(spec, state).dump();
}

void NetnsNodeDriver::start(const std::string& node) { set_ports(node, true, DomainState::kRunning); }
void NetnsNodeDriver::stop(const std::string& node) { set_ports(node, false, DomainState::kShutoff); }
void NetnsNodeDriver::suspend(const std::string& node) { set_ports(node, false, DomainState::kPaused); }
void NetnsNodeDriver::resume(const std::string& node) { set_ports(node, true, DomainState::kRunning); }

void NetnsNodeDriver::restart(const std::string& node) {
  stop(node);
  start(node);
}

void NetnsNodeDriver::destroy(const std::string& node) {
  std::vector<std::string> host_ends;
  if (std::ifstream in{state_file(node)}) {
    for (const auto& port : nlohmann::json::parse(in, nullptr, false).value("ports", nlohmann::json::array())) {
      host_ends.push_back(port.value("tap", ""));
    }
  }
  if (namespace_exists(node)) run_checked({"ip", "netns", "delete", node});
  std::vector<std::string> left;
  for (const auto& link : list_links(host_netns_)) {
    if (std::find(host_ends.begin(), host_ends.end(), link.name) != host_ends.end()) left.push_back(link.name);
  }
  delete_links(host_netns_, left);
  std::filesystem::remove(state_file(node));
}

NodeStatus NetnsNodeDriver::status(const std::string& node) {
  std::ifstream in(state_file(node));
  if (!in || !namespace_exists(node)) return {};
  const std::string state = nlohmann::json::parse(in, nullptr, false).value("state", "");
  if (state == to_string(DomainState::kRunning)) return {DomainState::kRunning, 0, true};
  if (state == to_string(DomainState::kPaused)) return {DomainState::kPaused, 0, false};
  return {DomainState::kShutoff, 0, false};
}

void NetnsNodeDriver::save(const std::string& node, const std::filesystem::path&) {
  throw GeniError(GeniCode::kUnsupported, "namespace node " + node + " has no memory image to save");
}

void NetnsNodeDriver::restore(const std::filesystem::path& file) {
  throw GeniError(GeniCode::kUnsupported, "namespace nodes cannot be restored from " + file.string());
}

JobStats NetnsNodeDriver::snapshot(const std::string& node, const std::filesystem::path& memory_file, bool,
                                   const std::function<void()>& at_pause) {
  load(node);
  if (at_pause) at_pause();
  std::ofstream(memory_file).flush();
  return {};
}

bool NetnsNodeDriver::keeps_a_frame_when_stopped() const { return false; }

void NetnsNodeDriver::restore_paused(const std::string& node, const std::filesystem::path&) { suspend(node); }

JobStats NetnsNodeDriver::migrate(const std::string& node, NodeDriver&, const std::vector<NodePort>&) {
  throw GeniError(GeniCode::kUnsupported, "namespace node " + node + " cannot migrate");
}

// No sshd runs in a bare namespace: no hostname, so the manifest offers no login service.
LoginInfo NetnsNodeDriver::login(const std::string& node) {
  LoginInfo info;
  info.username = load(node).login_user;
  return info;
}

void NetnsNodeDriver::update_keys(const std::string& node, const std::vector<std::string>& keys) {
  NodeSpec spec = load(node);
  spec.ssh_keys = keys;
  std::ofstream(state_file(node)) << to_json(spec, status(node).state).dump();
}

std::vector<std::string> NetnsNodeDriver::federa_nodes() {
  std::vector<std::string> nodes;
  for (const auto& entry : std::filesystem::directory_iterator(options_.state_dir)) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = ".netns.json";
    if (!file.ends_with(suffix)) continue;
    const std::string node = file.substr(0, file.size() - suffix.size());
    if (is_federa_domain(node)) nodes.push_back(node);
  }
  return nodes;
}

}  // namespace federa::federation
