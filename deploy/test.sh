#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is needed, builds the release
# and the ASan/UBSan (clang, with libFuzzer targets) configurations, and runs every test in both.
# Idempotent. FEDERA_PRESETS="release" runs only one configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/deps.sh
for preset in ${FEDERA_PRESETS:-release asan}; do
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset: test"
  ctest --preset "$preset"
done
