#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the tools the tests use (kustomize, goaws, the
# manifest validator's and web tests' npm packages, chromium), starts Redis and moto (installing them
# if needed), runs every test, and stops what it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/tools.sh
scripts/services.sh up
trap 'scripts/services.sh down' EXIT

export JUNCTION_TEST_REDIS="${JUNCTION_TEST_REDIS:-redis://127.0.0.1:${REDIS_PORT:-6379}}"
export JUNCTION_TEST_AWS_ENDPOINT="${JUNCTION_TEST_AWS_ENDPOINT:-http://127.0.0.1:${MOTO_PORT:-4566}}"
./mvnw -B --no-transfer-progress verify "$@"
