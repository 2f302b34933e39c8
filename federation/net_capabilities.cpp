#include "federation/net_capabilities.h"

#include "federation/command.h"

#include "common/geni_error.h"

#include <sstream>

namespace federa::federation {
namespace {

struct Probe {
  NetFeature feature;
  const char* command;  // run in a fresh network namespace after the ones before it
};

// Later probes use what earlier ones made (the VLAN sits on the veth).
constexpr Probe kProbes[] = {
    {NetFeature::kBridge, "ip link add fdz-br type bridge"},
    {NetFeature::kVeth, "ip link add fdz-v0 type veth peer name fdz-v1"},
    {NetFeature::kVxlan, "ip link add fdz-vx type vxlan id 42 dstport 4789"},
    {NetFeature::kVlan, "ip link add link fdz-v0 name fdz-vl type vlan id 42"},
    {NetFeature::kNftables, "nft add table netdev fdz && nft add chain netdev fdz c "
                            "'{ type filter hook ingress device \"fdz-v0\" priority 0; }'"},
};

std::string advice(NetFeature feature) {
  switch (feature) {
    case NetFeature::kVlan: return "; use VXLAN between hosts (transport = \"vxlan\") or load 8021q";
    case NetFeature::kNftables: return "; links cannot be cut (install nftables, kernel nf_tables netdev)";
    default: return "; federa's links need it";
  }
}

}  // namespace

std::string to_string(NetFeature feature) {
  switch (feature) {
    case NetFeature::kBridge: return "Linux bridge";
    case NetFeature::kVeth: return "veth";
    case NetFeature::kVxlan: return "VXLAN";
    case NetFeature::kVlan: return "802.1Q VLAN";
    case NetFeature::kNftables: return "nftables netdev";
  }
  return "unknown";
}

void NetCapabilities::require(NetFeature feature) const {
  const auto it = missing.find(feature);
  if (it == missing.end()) return;
  throw GeniError(GeniCode::kUnsupported, to_string(feature) + " is unavailable on this host (" +
                                              it->second + ")" + advice(feature));
}

std::string NetCapabilities::summary() const {
  std::ostringstream out;
  for (const Probe& probe : kProbes) {
    const auto it = missing.find(probe.feature);
    out << to_string(probe.feature) << ": "
        << (it == missing.end() ? "available" : "unavailable (" + it->second + ")") << "\n";
  }
  return out.str();
}

NetCapabilities probe_net_capabilities() {
  // One namespace for all probes; each prints "<index> ok" or "<index> <the kernel's words>".
  std::string script;
  for (std::size_t i = 0; i < std::size(kProbes); ++i) {
    script += "if out=$(" + std::string(kProbes[i].command) + " 2>&1); then echo '" +
              std::to_string(i) + " ok'; else echo \"" + std::to_string(i) +
              " $(echo $out | tr '\\n' ' ')\"; fi\n";
  }
  const CommandResult run = run_command({"unshare", "--net", "sh", "-c", script});
  NetCapabilities caps;
  if (run.exit_code != 0) {
    const std::string why = "cannot make a probe namespace: " + run.err + " (run as root)";
    for (const Probe& probe : kProbes) caps.missing[probe.feature] = why;
    return caps;
  }
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    const auto space = line.find(' ');
    const std::size_t index = std::stoul(line.substr(0, space));
    std::string verdict = line.substr(space + 1);
    while (!verdict.empty() && verdict.back() == ' ') verdict.pop_back();
    if (verdict != "ok") caps.missing[kProbes[index].feature] = verdict;
  }
  return caps;
}

}  // namespace federa::federation
