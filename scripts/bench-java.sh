#!/usr/bin/env bash
# Shared by the bench scripts: builds the packaged jar and the test classpath, then runs the named
# benchmark class (from src/test/java/io/junction/bench) in its own JVM with the given arguments.
#   scripts/bench-java.sh FanoutBench [args...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
class="$1"; shift
./mvnw -B -q --no-transfer-progress package -DskipTests
./mvnw -B -q --no-transfer-progress dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:+UseParallelGC \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "io.junction.bench.$class" "$@"
