# Shared by start.sh and stop.sh (sourced): where Debian's PostgreSQL 15 binaries are, and how to
# run them as the server's owner (root may not run a PostgreSQL server; it runs as postgres).
bin=${FEDERA_PG_BIN:-/usr/lib/postgresql/15/bin}
as_server() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}
