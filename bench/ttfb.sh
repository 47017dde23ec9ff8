#!/usr/bin/env bash
# Time to first byte: a response-streaming route against a buffered one, for a function emitting
# 10 chunks 100 ms apart. Runs in one JVM on 127.0.0.1 (the verifying fake Lambda and the proxy);
# needs `mvn -B -DskipTests test-compile` (or any build that compiled the tests) first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/test-classes/dev/lambdaproxy/bench ] || mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.lambdaproxy.bench.StreamingTtfb
