#!/usr/bin/env bash
# Runs melo-core's benchmarks, each beside its raw baseline in the same run (about 5-6 minutes).
# Build first: mvn -B -q -o -pl melo-bench -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=melo-bench/target/benchmarks.jar
echo "== 1. initial sync ingest, 1000x20x30, JMH, fork with -Xmx256m"
java -jar "$JAR" 'io.melo.bench.core.IngestBenchmark' -f 1 -wi 2 -i 3 -w 3s -r 3s
echo "== 1b. retained heap of the cache after ingest, -Xmx256m"
java -Xmx256m -cp "$JAR" io.melo.bench.core.IngestHeap
echo "== 2+3. event wake and send -> own echo latency vs raw OkHttp long poll, JMH SampleTime (poll in flight)"
java -jar "$JAR" 'io.melo.bench.core.LiveLatencyBenchmark'
echo "== 2+3b. the same, Melo and raw interleaved in one process (re-poll delay counts)"
java -cp "$JAR" io.melo.bench.core.LiveLatencyBench 12 50
echo "== 4. 200 clients in one process"
java -cp "$JAR" io.melo.bench.core.ManyClientsBench 200
