#!/usr/bin/env bash
# Cross-node fan-out benchmark: builds Junction, starts a private Redis and two Junction processes,
# runs the load generator (a separate JVM) and writes target/bench/fanout.{json,svg}.
#   scripts/bench.sh [--clients=1000] [--channels=10] [--rates=100,300,450,600] [--step-seconds=15]
#                    [--warmup-seconds=20] [--idle=10000] [--nodes=2] [--jvm="-XX:+UseSerialGC -Xmn32m -Xmx512m"]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v redis-server >/dev/null || { scripts/services.sh up && scripts/services.sh down; }
exec scripts/bench-java.sh FanoutBench "$@"
