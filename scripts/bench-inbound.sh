#!/usr/bin/env bash
# Inbound benchmark: signed SNS notifications to /sns/<name>, and Junction's SQS consumer draining a queue;
# starts the AWS emulator if needed and one Junction (packaged jar).
# Writes target/bench/inbound.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/services.sh up
trap 'scripts/services.sh down' EXIT
scripts/bench-java.sh InboundBench "$@"
