#!/usr/bin/env bash
# Starts a private PostgreSQL 15 cluster for tests and benchmarks, and prints its URI:
#   tests/pg/start.sh DIR PORT   ->   postgresql://postgres@127.0.0.1:PORT/federa
# The cluster lives in DIR/data (created by initdb on first use), listens on 127.0.0.1:PORT only
# with its unix socket in DIR, trusts every local connection (tests only!) and has a database
# "federa". Idempotent: when the cluster is already running it only prints the URI (with the port
# it really listens on). As root, the server runs as the user postgres, which must be able to
# reach DIR. Uses Debian's binaries; FEDERA_PG_BIN overrides /usr/lib/postgresql/15/bin.
set -euo pipefail
if (($# != 2)); then
  echo "usage: $0 DIR PORT" >&2
  exit 2
fi
port=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ ! -x $bin/initdb ]]; then
  echo "start.sh: $bin/initdb not found; install the Debian package postgresql" >&2
  exit 1
fi
mkdir -p "$1"
dir=$(cd "$1" && pwd)
data=$dir/data

if ((EUID == 0)); then
  chown postgres: "$dir"
  if ! as_server test -w "$dir"; then
    echo "start.sh: user postgres cannot write $dir (are its parent directories searchable?)" >&2
    exit 1
  fi
fi

# Two concurrent starts (parallel ctest, a benchmark) must not both initdb or start.
exec 9>"$dir/start.lock"
flock 9

if [[ ! -f $data/PG_VERSION ]]; then
  if ! as_server "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
  fi
fi
if ! as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  # 9>&- : the server must not inherit (and hold forever) the start lock.
  if ! as_server "$bin/pg_ctl" -D "$data" -l "$dir/postgresql.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" \
      >/dev/null 9>&-; then
    echo "start.sh: PostgreSQL did not start; the end of $dir/postgresql.log:" >&2
    tail -n 20 "$dir/postgresql.log" >&2
    exit 1
  fi
fi
port=$(sed -n 4p "$data/postmaster.pid")
psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAq)
if [[ -z $(as_server "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'federa'") ]]; then
  as_server "${psql[@]}" -c "CREATE DATABASE federa" >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$port/federa"
