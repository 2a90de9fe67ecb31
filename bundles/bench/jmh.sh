#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of bundles/bench/src/test/java/io/cqkd/dht/bench/jmh (codec, routing table).
# Not part of the normal build or test run. Needs cqkd-core installed: mvn -B -q -o -pl bundles/core install -DskipTests
#   bundles/bench/jmh.sh                       # all benchmarks (~2 min)
#   bundles/bench/jmh.sh CodecBenchmark -p auth=plain   # any JMH options (regex, -f, -wi, -i, -prof gc ...)
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test >&2
exec java -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main "$@"
