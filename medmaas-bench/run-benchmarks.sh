#!/usr/bin/env bash
# Runs MedMaaS and its Python peers on the same generated files, in one session, and prints the
# figures for docs/benchmarks.md. Needs Debian's python3-pandas and python3-sklearn
# (apt-get install python3-pandas python3-sklearn). Usage: medmaas-bench/run-benchmarks.sh [REPEATS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" -c 'import pandas, sklearn' 2>/dev/null || { echo "Install python3-pandas and python3-sklearn (Debian) first." >&2; exit 1; }
./mvnw -q -B -Dmaven.test.skip=true package
cp="medmaas-bench/target/medmaas-bench-0.1.0-SNAPSHOT.jar:medmaas-bench/target/lib/*"
java=("$JAVA_HOME/bin/java" -Xmx${BENCH_HEAP:-3g} -cp "$cp" org.medmaas.bench.PeerBenchmarks)
mkdir -p target/bench
csv=target/bench/labs-1m-x50.csv
pre=target/bench/features-100k-x100.csv
"${java[@]}" generate "$csv" 1000000 45 4 7
"${java[@]}" generate "$pre" 100000 90 10 11
echo "# $(date -u +%FT%TZ) on $(nproc) cores; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1); $($py -c 'import pandas,sklearn;print("pandas",pandas.__version__,"sklearn",sklearn.__version__)')"
echo "# file sizes: $(du -h "$csv" | cut -f1) and $(du -h "$pre" | cut -f1)"
/usr/bin/time -f "# peak RSS medmaas csv: %M KiB" "${java[@]}" csv "$csv" "$repeats"
/usr/bin/time -f "# peak RSS pandas csv: %M KiB" "$py" medmaas-bench/peers/pandas_peers.py csv "$csv" "$repeats"
# Synthea generation rate and FHIR R4 parsing rate (no peer in the issue: recorded as rates).
if [ ! -d target/bench/synthea-100/fhir ]; then
  rm -rf target/bench/synthea-100
  /usr/bin/time -o target/bench/synthea.time -f "# synthea, 100 living patients with FHIR export: %e s wall, peak RSS %M KiB" \
    ./medmaas data synthea --patients 100 --seed 7 --out target/bench/synthea-100 --fhir 2>/dev/null | grep -E "Simulated|FHIR"
  cat target/bench/synthea.time
fi
"${java[@]}" fhir target/bench/synthea-100/fhir "$repeats"
# The preprocessing goal is a peak under 1 GiB, so that run gets a 768 MiB heap.
/usr/bin/time -f "# peak RSS medmaas preprocess (-Xmx768m): %M KiB" "$JAVA_HOME/bin/java" -Xmx768m -cp "$cp" \
  org.medmaas.bench.PeerBenchmarks preprocess "$pre" "$repeats"
/usr/bin/time -f "# peak RSS sklearn preprocess: %M KiB" "$py" medmaas-bench/peers/pandas_peers.py preprocess "$pre" "$repeats"
