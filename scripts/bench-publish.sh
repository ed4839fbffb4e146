#!/usr/bin/env bash
# POST /api/events benchmark in both ack modes (accepted, durable) with wrk and a fixed-rate
# generator; starts the AWS emulator if needed, a private Redis, and one Junction per mode.
# Writes target/bench/publish.json and the raw wrk output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
scripts/services.sh up
trap 'scripts/services.sh down' EXIT
scripts/bench-java.sh PublishBench "$@"
