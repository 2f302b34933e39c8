#!/usr/bin/env bash
# Stops the test cluster that tests/pg/start.sh started in DIR (fast shutdown: open sessions are
# rolled back). Keeps DIR/data, so the next start skips initdb. Idempotent: no server, no error.
#   tests/pg/stop.sh DIR
set -euo pipefail
if (($# != 1)); then
  echo "usage: $0 DIR" >&2
  exit 2
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data=$1/data
[[ -f $data/PG_VERSION ]] || exit 0
if as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_server "$bin/pg_ctl" -D "$data" -w -t 60 -m fast stop >/dev/null
fi
