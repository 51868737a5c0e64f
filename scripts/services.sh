#!/usr/bin/env bash
# Starts, stops and reports the servers TextOps needs, without Docker:
#   RabbitMQ from Debian's rabbitmq-server package (management plugin on), and
#   FerretDB 1.x (MongoDB wire protocol, SQLite backend) built from tools/ferretdb.
# Usage: scripts/services.sh up|down|status|build-ferretdb
#   build-ferretdb only builds .local/bin/ferretdb (when stale) and starts nothing.
# Idempotent: `up` leaves a server that already answers alone, and `down` stops
# only what `up` started (marker files in the state directory say which).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${TEXTOPS_STATE_DIR:-$repo/.local}
ferret_addr=${FERRETDB_LISTEN:-127.0.0.1:27017}
ferret_port=${ferret_addr##*:}
ferret_bin=$state/bin/ferretdb

say() { printf '[services] %s\n' "$*"; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() { # port, what, seconds
  local deadline=$((SECONDS + $3))
  until port_open "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

rabbit_answers() { rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

install_rabbitmq() {
  command -v rabbitmq-server >/dev/null && return 0
  say "rabbitmq-server is not installed; installing Debian's package"
  command -v apt-get >/dev/null || die "no apt-get here: install RabbitMQ 3.10+ by hand or set AMQP_URL"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
}

rabbit_up() {
  install_rabbitmq
  if rabbit_answers; then
    say "RabbitMQ already running: amqp://guest:guest@127.0.0.1:5672 (left as it is)"
  else
    say "starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    # The Erlang node needs a moment before rabbitmqctl can reach it at all.
    local deadline=$((SECONDS + 120))
    until rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
      ((SECONDS < deadline)) || die "RabbitMQ did not start in 120 s; see /var/log/rabbitmq"
      sleep 1
    done
    touch "$state/rabbitmq.started"
  fi
  if ! rabbitmq-plugins -q is_enabled rabbitmq_management >/dev/null 2>&1; then
    rabbitmq-plugins -q enable rabbitmq_management >/dev/null
  fi
  wait_for_port 15672 "management UI" 60 || die "RabbitMQ management UI did not open port 15672"
  say "RabbitMQ ready: amqp://guest:guest@127.0.0.1:5672, management http://127.0.0.1:15672"
}

rabbit_down() {
  if [[ -f $state/rabbitmq.started ]]; then
    say "stopping RabbitMQ"
    rabbitmqctl -q stop >/dev/null 2>&1 || true
    rm -f "$state/rabbitmq.started"
  else
    say "RabbitMQ was not started by this script; left alone"
  fi
}

build_ferretdb() {
  local src=$repo/tools/ferretdb
  if [[ -x $ferret_bin && $ferret_bin -nt $src/go.mod && $ferret_bin -nt $src/go.sum &&
    $ferret_bin -nt $src/build.sh && -z $(find "$src" -name '*.go' -newer "$ferret_bin") ]]; then
    return 0
  fi
  command -v go >/dev/null || die "Go is needed to build FerretDB (tools/ferretdb); install golang"
  say "building FerretDB from tools/ferretdb (first time takes a few minutes)"
  mkdir -p "$state/bin"
  bash "$src/build.sh" "$state/ferretdb-build" "$ferret_bin" || die "FerretDB build failed"
}

ferret_up() {
  if port_open "$ferret_port"; then
    say "MongoDB-compatible server already listening on $ferret_addr (left as it is)"
    return 0
  fi
  build_ferretdb
  mkdir -p "$state/ferretdb-data"
  say "starting FerretDB on $ferret_addr, data in $state/ferretdb-data"
  nohup "$ferret_bin" -listen "$ferret_addr" -data "$state/ferretdb-data" \
    >"$state/ferretdb.log" 2>&1 &
  echo $! >"$state/ferretdb.pid"
  wait_for_port "$ferret_port" FerretDB 60 || die "FerretDB did not open $ferret_addr; see $state/ferretdb.log"
  say "FerretDB ready: mongodb://$ferret_addr/"
}

ferret_down() {
  local pidfile=$state/ferretdb.pid
  if [[ -f $pidfile ]]; then
    local pid
    pid=$(<"$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping FerretDB (pid $pid)"
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$pidfile"
  else
    say "FerretDB was not started by this script; left alone"
  fi
}

status() {
  if rabbit_answers; then say "RabbitMQ: running"; else say "RabbitMQ: not running"; fi
  if port_open "$ferret_port"; then say "MongoDB-compatible server: listening on $ferret_addr"; else say "MongoDB-compatible server: not running"; fi
}

mkdir -p "$state"
case "${1:-}" in
  up) rabbit_up; ferret_up ;;
  down) ferret_down; rabbit_down ;;
  status) status ;;
  build-ferretdb) build_ferretdb; say "FerretDB binary: $ferret_bin" ;;
  *) echo "usage: $0 up|down|status|build-ferretdb" >&2; exit 2 ;;
esac
