#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1, for CI and the benchmarks.
#
#   .ci/pg-cluster.sh start DIR   initdb into DIR (created; must be new or empty), start the
#                                 server on a free port, print its URL on stdout
#   .ci/pg-cluster.sh stop DIR    stop the server (fast) and remove DIR; safe to call twice
#
# DIR holds data/ (the cluster), run/ (the unix socket) and server.log. Trust auth, fsync off:
# never use it for anything you want to keep. As root, the server runs as user `postgres`
# (initdb refuses root); otherwise as the calling user.
set -euo pipefail

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
    return
  fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$found" && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "pg-cluster: PostgreSQL not found; installing Debian's postgresql" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  [[ -n "$found" ]] || die "no PostgreSQL binaries in /usr/lib/postgresql/*/bin (set PG_BIN)"
  echo "$found"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local dir=$1 bin port
  bin=$(pg_bin)
  mkdir -p "$dir"
  [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty"
  dir=$(cd "$dir" && pwd)
  mkdir -p "$dir/data" "$dir/run"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "user postgres does not exist"
    chown -R postgres: "$dir"
    chmod 700 "$dir"
    runuser -u postgres -- test -w "$dir" || die "user postgres cannot reach $dir (a parent directory is private?)"
  fi
  as_owner "$bin/initdb" -D "$dir/data" --auth=trust -U postgres --encoding=UTF8 --no-locale --no-sync \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  }
  # A port taken between the probe and the bind is rare; try a few before giving up.
  local tries
  for tries in 1 2 3; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
      echo "postgres://postgres@127.0.0.1:$port/postgres"
      return
    fi
    echo "pg-cluster: start on port $port failed (try $tries)" >&2
  done
  tail -n 30 "$dir/server.log" >&2 || true
  die "could not start PostgreSQL"
}

stop() {
  local dir=$1
  [[ -d "$dir" ]] || return 0
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
      echo "pg-cluster: pg_ctl stop failed for $dir" >&2
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: pg-cluster.sh start DIR}" ;;
  stop) stop "${2:?usage: pg-cluster.sh stop DIR}" ;;
  *) die "usage: pg-cluster.sh start DIR | stop DIR" ;;
esac
