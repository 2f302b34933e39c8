#include "federation/host_links.h"

#include "federation/command.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace federa::federation {

std::vector<LinkInfo> list_links(const std::string& netns) {
  const auto json = nlohmann::json::parse(run_checked(ip_command(netns, {"-json", "link", "show"})));
  std::vector<LinkInfo> links;
  for (const auto& link : json) {
    links.push_back({link.value("ifname", ""), link.value("master", ""), link.value("mtu", 0)});
  }
  return links;
}

nlohmann::json link_details(const std::string& netns, const std::string& device) {
  const CommandResult shown = run_command(ip_command(netns, {"-json", "-details", "link", "show", "dev", device}));
  const auto links = nlohmann::json::parse(shown.out, nullptr, false);
  if (shown.exit_code != 0 || !links.is_array() || links.empty()) return nullptr;
  return links.front();
}

std::string bridge_port_state(const std::string& netns, const std::string& device) {
  const auto details = link_details(netns, device);
  if (details.is_null()) return {};
  return details.value("/linkinfo/info_slave_data/state"_json_pointer, std::string{});
}

void delete_links(const std::string& netns, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::string batch;
  for (const auto& name : names) batch += "link delete dev " + name + "\n";
  // -force carries on past a device that is already gone; what remains is checked below.
  run_command(ip_command(netns, {"-force", "-batch", "-"}), batch);
  std::vector<std::string> left;
  for (const auto& link : list_links(netns)) {
    if (std::find(names.begin(), names.end(), link.name) != names.end()) left.push_back(link.name);
  }
  if (!left.empty()) run_checked(ip_command(netns, {"link", "delete", "dev", left.front()}));
}

std::string run_nft(const std::string& netns, const std::vector<std::string>& args,
                    const std::string& script) {
  std::vector<std::string> argv;
  if (!netns.empty()) argv = {"ip", "netns", "exec", netns};
  argv.push_back("nft");
  argv.insert(argv.end(), args.begin(), args.end());
  return run_checked(argv, script);
}

}  // namespace federa::federation
