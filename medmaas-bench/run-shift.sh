#!/usr/bin/env bash
# External validation, shift report and recalibration on a real second cohort: a diagnosis model
# trained on the Mayo PBC trial's patients (5-year mortality) is evaluated on the patients followed
# beside the trial (not randomized, half their inputs unrecorded), then recalibrated on them.
# Needs R with the survival package (Debian: r-cran-survival). Prints what docs/benchmarks.md quotes.
#   medmaas-bench/run-shift.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v Rscript >/dev/null || { echo "Needs R: apt-get install r-cran-survival r-cran-mass" >&2; exit 1; }
out=target/bench/shift
rm -rf "$out"
mkdir -p "$out/extra"
Rscript medmaas-bench/peers/r_tables.R "$out/extra" "$out"
echo "== train on the trial's patients (--model auto)"
./medmaas train diagnosis --data "$out/pbc-trial.csv" --target outcome --model auto --out "$out/model"
echo "== evaluate on the trial's own patients (in-sample: no shift expected)"
./medmaas evaluate "$out/model" --data "$out/pbc-trial.csv" --shift 5
echo "== evaluate on the registry patients (external)"
./medmaas evaluate "$out/model" --data "$out/pbc-registry.csv" --shift 16
echo "== recalibrate on the registry patients"
./medmaas recalibrate "$out/model" --data "$out/pbc-registry.csv" --out "$out/recalibrated"
