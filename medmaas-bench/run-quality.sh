#!/usr/bin/env bash
# Model quality on ../shared/datasets: MedMaaS learners and scikit-learn on the same folds.
# Needs Debian's python3-sklearn and python3-pandas. Prints the table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME
datasets=../shared/datasets
[ -d "$datasets" ] || { echo "No $datasets folder: the quality benchmark needs the shared datasets." >&2; exit 1; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3
./mvnw -q -B -Dmaven.test.skip=true package
cp="medmaas-bench/target/medmaas-bench-0.1.0-SNAPSHOT.jar:medmaas-bench/target/lib/*"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.medmaas.bench.QualityBenchmark "$datasets" target/bench/quality
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
"$py" medmaas-bench/peers/sklearn_quality.py target/bench/quality
