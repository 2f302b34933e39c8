#include "federation/sweep.h"

#include "federation/backend_names.h"
#include "federation/host_links.h"

#include "common/log.h"

#include <sstream>

namespace federa::federation {
namespace {

int sweep_tables(const std::string& netns) {
  std::istringstream lines(run_nft(netns, {"list", "tables"}));
  std::string word, family, name;
  int swept = 0;
  while (lines >> word >> family >> name) {
    if (word != "table" || !is_federa_table(name)) continue;
    run_nft(netns, {"delete", "table", family, name});
    ++swept;
  }
  return swept;
}

}  // namespace

int sweep_nodes(NodeDriver& driver) {
  int swept = 0;
  for (const auto& node : driver.federa_nodes()) {
    driver.destroy(node);
    ++swept;
  }
  return swept;
}

SweepReport sweep_host(NodeDriver* driver, const std::string& netns) {
  SweepReport report;
  if (driver) report.nodes = sweep_nodes(*driver);
  report.tables = sweep_tables(netns);
  std::vector<std::string> devices;
  for (const auto& link : list_links(netns)) {
    if (is_federa_device(link.name)) devices.push_back(link.name);
  }
  delete_links(netns, devices);
  report.devices = static_cast<int>(devices.size());
  logger("sweep")->info("event=sweep netns={} nodes={} devices={} tables={}", log_value(netns),
                        report.nodes, report.devices, report.tables);
  return report;
}

}  // namespace federa::federation
