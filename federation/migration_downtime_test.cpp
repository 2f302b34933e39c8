#include "federation/migration_downtime.h"

#include <doctest/doctest.h>

#include <string>

using namespace federa::federation;

namespace {

std::string guest(const std::string& machine) {
  return "<domain type='qemu'><name>vma</name><os><type arch='x86_64' machine='" + machine +
         "'>hvm</type><kernel>/k</kernel></os></domain>";
}

}  // namespace

TEST_CASE("a TCG guest on QEMU before 9.0 migrates with QEMU's default stop, the dirty tracking missing writes") {
  CHECK(migration_downtime_ms("qemu", guest("pc-i440fx-7.2")) == 300);
  CHECK(migration_downtime_ms("qemu", guest("pc-q35-8.2")) == 300);
}

TEST_CASE("a TCG guest whose machine type needs QEMU 9.0 or later migrates with a 20 ms stop") {
  CHECK(migration_downtime_ms("qemu", guest("pc-i440fx-9.0")) == 20);
  CHECK(migration_downtime_ms("qemu", guest("pc-q35-10.0")) == 20);
  CHECK(migration_downtime_ms("qemu", "<type machine=\"pc-i440fx-10.0\">hvm</type>") == 20);  // either quote
}

TEST_CASE("a KVM guest migrates with a 20 ms stop whatever its machine type") {
  CHECK(migration_downtime_ms("kvm", guest("pc-i440fx-7.2")) == 20);
  CHECK(migration_downtime_ms("kvm", "<domain type='kvm'/>") == 20);
}

TEST_CASE("a machine type that names no QEMU version counts as old") {
  CHECK(migration_downtime_ms("qemu", guest("pc")) == 300);
  CHECK(migration_downtime_ms("qemu", guest("pc-q35-rhel9.4.0")) == 300);
  CHECK(migration_downtime_ms("qemu", guest("microvm")) == 300);
  CHECK(migration_downtime_ms("qemu", "<domain type='qemu'/>") == 300);
}
