#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer (com.code-intelligence:jazzer-junit, from Maven Central) of
# the readers that take input from outside: the service API's and the Open Inference Protocol's
# JSON request readers (medmaas-server, RequestFuzzTest) and the CSV, FHIR bundle and cohort YAML
# readers (medmaas-data, ReadersFuzzTest). Each target runs alone in fuzzing mode for RUNS inputs
# (default: the tests' 1,000,000); a crash is written by Jazzer into the target's inputs folder
# (src/test/resources/.../<Class>Inputs/<target>/), where `mvn verify` replays it from then on.
# Prints one line per target from libFuzzer's last status line: inputs run, coverage (edges) and
# features, and the corpus size, for docs/benchmarks.md.
# Usage: medmaas-bench/run-fuzz.sh [TARGET...]   (e.g. fhirBundle; default all. Each stops at
# 1,000,000 inputs or 30 minutes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH" OMP_WAIT_POLICY=PASSIVE
./mvnw -q -B -o install -DskipTests >/dev/null 2>&1 || ./mvnw -q -B install -DskipTests
out=target/bench/fuzz
mkdir -p "$out"
targets=(
  "medmaas-server org.medmaas.server.protocol.RequestFuzzTest#serviceRequest"
  "medmaas-server org.medmaas.server.protocol.RequestFuzzTest#protocolRequest"
  "medmaas-data org.medmaas.data.ReadersFuzzTest#csv"
  "medmaas-data org.medmaas.data.ReadersFuzzTest#fhirBundle"
  "medmaas-data org.medmaas.data.ReadersFuzzTest#cohortYaml"
)
printf '| target | inputs | coverage (edges) | features | corpus | crashes | time (s) |\n|---|---|---|---|---|---|---|\n'
for t in "${targets[@]}"; do
  if [ "$#" -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "${t##*#}"; then continue; fi
  module="${t%% *}"
  test="${t#* }"
  log="$out/${test##*#}.log"
  start=$(date +%s)
  status=0
  # JAZZER_FUZZ=1: fuzzing mode (one target per run); the test's maxExecutions bounds the inputs.
  # Coverage is measured over all of MedMaaS's code (Jazzer's default is the test's own package,
  # which left the request readers in other modules unseen by the fuzzer).
  JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='org.medmaas.**' timeout 2400 ./mvnw -B -o -pl "$module" \
    surefire:test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false >"$log" 2>&1 || status=$?
  secs=$(( $(date +%s) - start ))
  last="$(grep -aE '^#[0-9]+.*(DONE|pulse|NEW|REDUCE).*cov: ' "$log" | tail -n 1 || true)"
  runs="$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")"
  cov="$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")"
  ft="$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")"
  corp="$(sed -nE 's/.*corp: ([0-9]+).*/\1/p' <<<"$last")"
  case "$status" in
    0) crashes=0 ;;
    124) crashes="none (stopped at the time limit)" ;;
    *) crashes="see $log" ;;
  esac
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${test##*.}" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes" "$secs"
done
