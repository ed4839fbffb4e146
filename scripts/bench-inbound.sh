#!/usr/bin/env bash
# Inbound benchmark: signed SNS notifications to /sns/<name>, and Junction's SQS consumer draining a queue;
# starts the AWS emulator if needed and one Junction (packaged jar).
# Writes target/bench/inbound.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/services.sh up
trap 'scripts/services.sh down' EXIT
./mvnw -B -q --no-transfer-progress package -DskipTests
./mvnw -B -q --no-transfer-progress dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.junction.bench.InboundBench "$@"
