#!/usr/bin/env bash
# Time to first byte: a response-streaming route against a buffered one, for a function emitting
# 10 chunks 100 ms apart. Runs in one JVM on 127.0.0.1 (the verifying fake Lambda and the proxy);
# the class is a test of the it module, so this builds the modules (no tests) to get its classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
# One invocation: the reactor resolves the sibling modules (and the WAR it orders before it) to
# what this build just packaged; the it module, last, writes the file last.
mvn -q -B -DskipTests -pl it -am package dependency:build-classpath -Dmdep.includeScope=test -Dmdep.excludeTypes=war \
  -Dmdep.outputFile="$PWD/it/target/test-classpath.txt" >/dev/null
exec java -cp "it/target/test-classes:$(cat it/target/test-classpath.txt)" \
  dev.lambdaproxy.bench.StreamingTtfb
