#!/usr/bin/env bash
# Installs every Debian package federa needs to build, run and test.
# Idempotent: packages already present are skipped by apt.
set -euo pipefail
packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  # libraries (see docs/ARCHITECTURE.md for what each is used for)
  libboost-dev libboost-system-dev libssl-dev libxml2-dev libxml2-utils
  libxmlsec1-dev libxmlsec1-openssl xmlsec1 nlohmann-json3-dev doctest-dev
  libcli11-dev libspdlog-dev libtomlplusplus-dev libsqlite3-dev libpqxx-dev zlib1g-dev libvirt-dev libnftables-dev libmnl-dev
  # run time and tests: PostgreSQL, libvirt's QEMU driver, VMs under TCG, links, the test guest,
  # and one libvirtd per test site for the snapshot and migration tests (SiteDaemon)
  openssl python3 ca-certificates procps iproute2 postgresql libvirt-daemon-driver-qemu
  libvirt-daemon libvirt-daemon-system libvirt-clients
  # the login test logs in to a guest with ssh (ssh, ssh-keygen)
  openssh-client
  qemu-system-x86 qemu-utils nftables iputils-ping busybox-static dropbear-bin linux-image-cloud-amd64
  # the dashboard test (headless Chromium) and JSON Schema validation of the datastore
  chromium python3-jsonschema
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# libvirt's QEMU driver runs guests as libvirt-qemu, even embedded (the package's postinst
# creates it only where systemd-sysusers runs).
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
getent passwd libvirt-qemu >/dev/null || useradd --system --no-create-home -g libvirt-qemu libvirt-qemu
echo "deps: all ${#packages[@]} packages present"
