#!/usr/bin/env bash
# Time from process start to the first ready answer, and idle RSS two seconds later, of the packaged
# jar on its embedded default (README "Native image" table). Extra arguments are JVM options.
#   scripts/startup.sh -XX:+UseSerialGC -Xmn32m
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q --no-transfer-progress package -DskipTests
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s%N)
QUARKUS_HTTP_PORT=$port java "$@" -jar target/quarkus-app/quarkus-run.jar >target/startup.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; do
  kill -0 $pid 2>/dev/null || { cat target/startup.log; exit 1; }
  sleep 0.01
done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 2
rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
echo "JVM options '${*}': ready after ${ready} ms, idle RSS ${rss} MB"
