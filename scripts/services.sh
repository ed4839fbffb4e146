#!/usr/bin/env bash
# Starts the real services Junction's tests talk to, on loopback, and stops what it started.
#
#   scripts/services.sh up     install what is missing, start what is not already running
#   scripts/services.sh down   stop only the services this script started
#   scripts/services.sh status
#
# Redis:  Debian's redis-server on 127.0.0.1:${REDIS_PORT:-6379}
# SNS/SQS: moto's server on 127.0.0.1:${MOTO_PORT:-4566}
# No Docker is needed. Services already listening on those ports (yours, or a LocalStack/Floci
# container) are used as they are and left running.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${JUNCTION_SERVICES_DIR:-$ROOT/target/services}"
REDIS_PORT="${REDIS_PORT:-6379}"
MOTO_PORT="${MOTO_PORT:-4566}"
mkdir -p "$STATE"

log() { printf '[services] %s\n' "$*" >&2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port seconds
  local deadline=$((SECONDS + $3))
  until listening "$2"; do
    if ((SECONDS >= deadline)); then
      log "$1 did not start listening on 127.0.0.1:$2 within $3 s"
      [ -f "$STATE/$1.log" ] && tail -n 20 "$STATE/$1.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

redis_up() {
  if listening "$REDIS_PORT"; then
    log "redis: already listening on 127.0.0.1:$REDIS_PORT, using it"
    return
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  # Tests start from an empty, non-persistent Redis; durability settings are exercised per test.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE"
  wait_for redis "$REDIS_PORT" 20
  echo started >"$STATE/redis.started"
  log "redis: started on 127.0.0.1:$REDIS_PORT"
}

moto_up() {
  if listening "$MOTO_PORT"; then
    log "moto: something already listens on 127.0.0.1:$MOTO_PORT, using it"
    return
  fi
  if ! python3 -c 'import moto.server' 2>/dev/null; then
    log "pip install moto[server]==5.2.1"
    command -v pip3 >/dev/null || python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    # Debian's own Python refuses pip installs outside a venv (PEP 668); a user install is enough here.
    python3 -m pip install -q 'moto[server]==5.2.1' >/dev/null 2>&1 \
      || python3 -m pip install -q --user --break-system-packages 'moto[server]==5.2.1' >/dev/null
  fi
  nohup python3 -m moto.server -H 127.0.0.1 -p "$MOTO_PORT" >"$STATE/moto.log" 2>&1 &
  echo $! >"$STATE/moto.pid"
  wait_for moto "$MOTO_PORT" 60
  echo started >"$STATE/moto.started"
  log "moto: started on 127.0.0.1:$MOTO_PORT"
}

stop() { # name
  [ -f "$STATE/$1.started" ] || return 0
  if [ -f "$STATE/$1.pid" ]; then
    local pid
    pid="$(cat "$STATE/$1.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$1.started" "$STATE/$1.pid"
  log "$1: stopped"
}

case "${1:-}" in
  up) redis_up; moto_up ;;
  down) stop moto; stop redis ;;
  status)
    for s in "redis $REDIS_PORT" "moto $MOTO_PORT"; do
      set -- $s
      if listening "$2"; then echo "$1: listening on 127.0.0.1:$2"; else echo "$1: not running"; fi
    done ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
