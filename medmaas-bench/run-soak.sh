#!/usr/bin/env bash
# Soak: LR predictions through the service API, authenticated and audited, at 70 % of the
# maximum throughput (measured first, with wrk -c64; the pacing delay is steered toward it), for N
# minutes (default 10), one wrk run a
# minute; prints the per-minute rate, p50 and p99 and every error. Needs wrk (Debian) and
# target/bench/quality/pima.csv (run run-quality.sh first). Prints the table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes="${1:-10}"
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME OMP_WAIT_POLICY=PASSIVE
data=target/bench/quality/pima.csv
[ -f "$data" ] || { echo "run medmaas-bench/run-quality.sh first ($data is missing)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work=target/bench/soak
rm -rf "$work"
mkdir -p "$work"
reg=(--registry "$work/registry")
./medmaas train diagnosis --data "$data" --target diabetes --model lr --out "$work/model-lr" >/dev/null 2>&1
./medmaas models register pima-lr "$work/model-lr" "${reg[@]}" >/dev/null
token="$(./medmaas keys create --owner soak --role predictor "${reg[@]}" | head -1)"
port=18183
./medmaas serve --port "$port" "${reg[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; do sleep 0.2; done
url="http://127.0.0.1:$port/api/v1/diagnosis/pima-lr/predict"
body='{"record": {"pregnant": 6, "glucose": 148, "pressure": 72, "triceps": 35, "insulin": null, "mass": 33.6, "pedigree": 0.627, "age": 50}}'
script() { # $1: delay per request and connection, ms (0: as fast as possible)
  printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\nfunction delay() return %s end\n' \
    "$body" "$token" "$1"
}
script 0 >"$work/max.lua"
wrk -t2 -c64 -d30s -s "$work/max.lua" "$url" >/dev/null   # warm-up
wrk -t2 -c64 -d20s -s "$work/max.lua" "$url" >"$work/max.out"
max=$(awk '/Requests\/sec/ {print $2}' "$work/max.out")
target=$(awk -v m="$max" 'BEGIN {printf "%.0f", 0.7 * m}')
# 64 connections, each waiting `delay` ms after each answer, give 64000 / (delay + latency) req/s.
# wrk cannot pace at a fixed rate (wrk2 is not in Debian), so the delay is steered: from the rate a
# run reaches, estimate the latency, and set the delay that would give the target. Two 15 s
# calibration runs, then again after every soak minute.
steer() { # $1: delay used, $2: rate reached → the next delay
  awk -v d="$1" -v r="$2" -v t="$target" 'BEGIN {lat = 64000 / r - d; if (lat < 0) lat = 0; n = 64000 / t - lat;
    if (n < 0) n = 0; printf "%.2f", n}'
}
delay=$(awk -v t="$target" 'BEGIN {d = 64000 / t - 1; if (d < 0) d = 0; printf "%.2f", d}')
for c in 1 2; do
  script "$delay" >"$work/soak.lua"
  wrk -t2 -c64 -d15s -s "$work/soak.lua" "$url" >"$work/calibrate.out"
  delay=$(steer "$delay" "$(awk '/Requests\/sec/ {print $2}' "$work/calibrate.out")")
done
echo "# $(date -u +%FT%TZ) on $(nproc) cores; maximum $max req/s (wrk -c64, 20 s after 30 s warm-up); target 70 % = $target req/s"
echo
echo "| minute | req/s | % of max | p50 ms | p99 ms | errors (non-2xx + socket) | delay per request ms |"
echo "|---|---|---|---|---|---|---|"
total_errors=0
for m in $(seq 1 "$minutes"); do
  script "$delay" >"$work/soak.lua"
  wrk -t2 -c64 -d60s --latency -s "$work/soak.lua" "$url" >"$work/minute.out"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/minute.out")
  p50=$(awk '$1 == "50%" {print $2}' "$work/minute.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/minute.out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/minute.out"); non2xx=${non2xx:-0}
  socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/minute.out"); socket=${socket:-0}
  errors=$(( non2xx + socket ))
  total_errors=$(( total_errors + errors ))
  pct=$(awk -v r="$rps" -v m="$max" 'BEGIN {printf "%.0f", 100 * r / m}')
  echo "| $m | $rps | $pct % | $p50 | $p99 | $errors | $delay |"
  delay=$(steer "$delay" "$rps")
done
echo
verified=$(./medmaas audit verify "${reg[@]}" | tail -1)
echo "Errors in $minutes minutes: $total_errors. Server RSS at the end: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server_pid/status"). $verified"
