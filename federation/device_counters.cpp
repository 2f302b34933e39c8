#include "federation/device_counters.h"

#include <nlohmann/json.hpp>

#include "federation/command.h"

namespace federa::federation {

std::optional<DeviceCounters> device_counters(const std::string& netns, const std::string& device) {
  const CommandResult result = run_command(ip_command(netns, {"-s", "-json", "link", "show", "dev", device}));
  if (result.exit_code != 0) return std::nullopt;
  const auto answer = nlohmann::json::parse(result.out, nullptr, false);
  if (!answer.is_array() || answer.size() != 1) return std::nullopt;
  const auto stats = answer[0].value("stats64", nlohmann::json::object());
  const auto rx = stats.value("rx", nlohmann::json::object());
  const auto tx = stats.value("tx", nlohmann::json::object());
  const auto count = [](const nlohmann::json& side, const char* name) -> std::optional<std::uint64_t> {
    if (!side.contains(name) || !side[name].is_number_unsigned()) return std::nullopt;
    return side[name].get<std::uint64_t>();
  };
  const auto rx_bytes = count(rx, "bytes"), tx_bytes = count(tx, "bytes");
  const auto rx_packets = count(rx, "packets"), tx_packets = count(tx, "packets");
  if (!rx_bytes || !tx_bytes || !rx_packets || !tx_packets) return std::nullopt;
  return DeviceCounters{*rx_bytes, *tx_bytes, *rx_packets, *tx_packets};
}

}  // namespace federa::federation
