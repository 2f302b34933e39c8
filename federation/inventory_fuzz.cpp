// libFuzzer target: the inventory parser and the VLAN range parser must accept or refuse any
// bytes with InventoryError / std::invalid_argument, never crash; a parsed VLAN set must format
// back to text that parses to the same set.
#include "federation/inventory.h"

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    federa::federation::parse_inventory(text, "fuzz.toml");
  } catch (const federa::federation::InventoryError&) {
  }
  try {
    const auto set = federa::VlanSet::parse(text.substr(0, 256));
    if (!(federa::VlanSet::parse(set.format()) == set)) std::abort();
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
