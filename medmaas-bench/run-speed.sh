#!/usr/bin/env bash
# Learner speed against scikit-learn and xgboost in the same run: training time and batch scoring
# on the real datasets (prepared by run-quality.sh) and a synthetic 20,000 × 30 set, then JMH
# single-row latency of model bundles. Needs python3-sklearn and python3-xgboost (Debian).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME
export OMP_WAIT_POLICY=PASSIVE
py=/usr/bin/python3
[ -x "$py" ] || py=python3
./mvnw -q -B -Dmaven.test.skip=true package
cp="medmaas-bench/target/medmaas-bench-0.1.0-SNAPSHOT.jar:medmaas-bench/target/lib/*"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp")
echo "# $(date -u +%FT%TZ) on $(nproc) cores"
/usr/bin/time -f "# peak RSS medmaas: %M KiB" "${java[@]}" org.medmaas.bench.SpeedBenchmark target/bench/quality target/bench/speed "$repeats"
/usr/bin/time -f "# peak RSS python: %M KiB" "$py" medmaas-bench/peers/python_speed.py target/bench/quality target/bench/speed "$repeats"
"${java[@]}" org.openjdk.jmh.Main LatencyBenchmark -jvmArgsAppend "-Dbench.dir=$(pwd)/target/bench/speed"
# Peak memory training each learner on 100,000 × 100 (goal: under 1.5 GiB), heap capped at 1 GiB.
# The MLP runs 5 epochs here: memory does not grow with epochs, and 200 would take many minutes.
for learner in lr mlp gbt; do
  /usr/bin/time -f "# peak RSS training $learner on 100,000 x 100 (-Xmx1g): %M KiB" \
    "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$cp" org.medmaas.bench.SpeedBenchmark memory target/bench/speed "$learner"
done
