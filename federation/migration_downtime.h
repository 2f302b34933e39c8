// How long QEMU may stop a guest for the last pass of a live migration, chosen from what runs the
// guest. 20 ms where the source's dirty tracking is sound: KVM, and TCG from QEMU 9.0 on. Under
// TCG before 9.0, QEMU misses guest writes made after each pass of the copy (fixed upstream by
// "physmem: Fix migration dirty bitmap coherency with TCG memory access", QEMU 9.0), so every
// extra pass a short limit brings is a chance of a corrupt guest: there QEMU's default, 300 ms.
// The running QEMU's version is read from the guest's machine type (pc-i440fx-9.0 runs only on
// QEMU 9.0 or later); a machine type without a version counts as old.
#pragma once

#include <string_view>

namespace federa::federation {

inline constexpr unsigned long long kShortDowntimeMs = 20;
inline constexpr unsigned long long kQemuDefaultDowntimeMs = 300;

// `virt_type` is the domain type (kvm, qemu); `domain_xml` the guest's live definition.
unsigned long long migration_downtime_ms(std::string_view virt_type, std::string_view domain_xml);

}  // namespace federa::federation
