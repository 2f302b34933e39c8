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
  libcli11-dev libspdlog-dev libtomlplusplus-dev libsqlite3-dev libpqxx-dev
  # run time and tests
  openssl python3 ca-certificates procps iproute2 postgresql
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
echo "deps: all ${#packages[@]} packages present"
