#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: installs what is needed, builds federa, creates the
# local certificate authority with an experimenter (certificate, key, omni_config), and runs
# `federa am` on https://127.0.0.1:8001 with embedded defaults. Idempotent: run it again and it
# reuses the CA, the certificates and the build. Extra arguments go to `federa am`.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target federa
federa=build/release/app/federa
experimenter=${FEDERA_EXPERIMENTER:-alice}
"$federa" ca experimenter "$experimenter" --email "$experimenter@localhost"
exec "$federa" am "$@"
