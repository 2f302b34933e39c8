// The seed a kernel-boot node reads at boot: a cpio (newc) archive appended to the image's initrd,
// which the Linux kernel unpacks over the image's own initramfs. It holds
//   /federa/hostname, /federa/user, /federa/authorized_keys (one key a line),
//   /federa/ports (one "<mac> <address/prefix>" a line)
// and the guest's init configures itself from them (tests/vm/init is the reference guest).
#pragma once

#include "federation/node_driver.h"

#include <filesystem>
#include <string>

namespace federa::federation {

// The archive for `spec` (its name is the hostname).
std::string seed_archive(const NodeSpec& spec);

// `base` initrd padded to 4 bytes followed by seed_archive(spec), written to `target`.
void write_seeded_initrd(const std::filesystem::path& base, const NodeSpec& spec,
                         const std::filesystem::path& target);

// A locally administered unicast MAC derived from the tap name, stable across define/restore.
std::string port_mac(const std::string& tap);

}  // namespace federa::federation
