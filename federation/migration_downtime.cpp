#include "federation/migration_downtime.h"

#include <regex>
#include <string>

namespace federa::federation {
namespace {

constexpr int kFirstSoundQemuMajor = 9;

// The QEMU major version the guest's machine type needs (pc-q35-10.0 -> 10), 0 when it names none.
int machine_qemu_major(std::string_view domain_xml) {
  static const std::regex kMachine(R"(machine=['"]pc-(?:i440fx|q35)-(\d+)\.\d+['"])");
  std::match_results<std::string_view::const_iterator> found;
  if (!std::regex_search(domain_xml.begin(), domain_xml.end(), found, kMachine)) return 0;
  return std::stoi(found[1].str());
}

}  // namespace

unsigned long long migration_downtime_ms(std::string_view virt_type, std::string_view domain_xml) {
  if (virt_type == "kvm" || machine_qemu_major(domain_xml) >= kFirstSoundQemuMajor) return kShortDowntimeMs;
  return kQemuDefaultDowntimeMs;
}

}  // namespace federa::federation
