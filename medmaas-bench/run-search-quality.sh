#!/usr/bin/env bash
# --model auto (searched, compared, ensembled) against scikit-learn and xgboost at their defaults,
# on the same repeated stratified 10-fold splits. Needs Debian's python3-sklearn, python3-pandas
# and python3-xgboost; with r-cran-mass and r-cran-survival also two further tables (birthwt, pbc;
# see peers/r_tables.R). Prints the tables for docs/benchmarks.md.
#   medmaas-bench/run-search-quality.sh [REPEATS [TRIALS [DATASET...]]]
#   (defaults: 5 10, all of wdbc pima heart birthwt pbc)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME
datasets=../shared/datasets
[ -d "$datasets" ] || { echo "No $datasets folder: the benchmark needs the shared datasets." >&2; exit 1; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3
repeats="${1:-5}"
trials="${2:-10}"
shift $(( $# > 2 ? 2 : $# ))
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
mkdir -p target/bench/search-quality/extra
if command -v Rscript >/dev/null && Rscript -e 'library(MASS); library(survival)' >/dev/null 2>&1; then
    Rscript medmaas-bench/peers/r_tables.R target/bench/search-quality/extra
else
    echo "No R with MASS and survival (apt-get install r-cran-mass r-cran-survival): birthwt and pbc are left out." >&2
fi
./mvnw -q -B -Dmaven.test.skip=true package
cp="medmaas-bench/target/medmaas-bench-0.1.0-SNAPSHOT.jar:medmaas-bench/target/lib/*"
"$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$cp" org.medmaas.bench.SearchQualityBenchmark \
    "$datasets" target/bench/search-quality "$repeats" "$trials" "$@"
"$py" medmaas-bench/peers/sklearn_search_quality.py target/bench/search-quality "$@"
