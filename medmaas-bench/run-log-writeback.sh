#!/usr/bin/env bash
# What an access log written to the registry's disk does to the next route's tail: the plain route
# (/v2/health/live, 40,000+ req/s) is loaded for 10 s, then the LR service API twice, 10 s each;
# once with the access log on standard error redirected to a file, once with the access log off
# (its logger's level). The dirty page cache after the plain route is printed beside.
# Needs wrk and a registry with a pima-lr model (run-serving-peer.sh leaves one).
#   medmaas-bench/run-log-writeback.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME
work="$(pwd)/target/bench/log-writeback"
registry="$(pwd)/target/bench/serving-peer/registry"
[ -d "$registry" ] || { echo "run medmaas-bench/run-serving-peer.sh first (it leaves $registry)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
token="$(./medmaas keys create --owner writeback --role predictor --registry "$registry" | head -1)"
port=18392
record='{"record": {"pregnant": 6, "glucose": 148, "pressure": 72, "triceps": 35, "insulin": null, "mass": 33.6, "pedigree": 0.627, "age": 50}}'
printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' \
  "$record" "$token" >"$work/lr.lua"
printf 'wrk.method = "GET"\n' >"$work/plain.lua"
printf 'handlers = java.util.logging.ConsoleHandler\n.level = INFO\nmedmaas.access.level = OFF\n' >"$work/no-access-log.properties"
lr="http://127.0.0.1:$port/api/v1/diagnosis/pima-lr/predict"
echo "# $(date -u +%FT%TZ) on $(nproc) cores; wrk -t2 -c64, 10 s per measurement after 45 s of warm-up on the LR route"
echo
echo "| access log | plain req/s | dirty page cache after it | LR right after: req/s | p99 ms | LR 10 s later: req/s | p99 ms |"
echo "|---|---|---|---|---|---|---|"
for mode in file off; do
  opts=""
  [ "$mode" = off ] && opts="-Djava.util.logging.config.file=$work/no-access-log.properties"
  MEDMAAS_JAVA_OPTS="$opts" ./medmaas serve --port "$port" --registry "$registry" >"$work/server-$mode.log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true' EXIT
  until curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; do sleep 0.2; done
  wrk -t2 -c64 -d45s -s "$work/lr.lua" "$lr" >/dev/null
  for round in 1 2; do
    plain="$(wrk -t2 -c64 -d10s -s "$work/plain.lua" "http://127.0.0.1:$port/v2/health/live" | awk '/Requests\/sec/ {print $2}')"
    dirty="$(awk '/^Dirty:/ {printf "%.0f MB", $2 / 1024}' /proc/meminfo)"
    first="$(wrk -t2 -c64 -d10s --latency -s "$work/lr.lua" "$lr" | awk '/Requests\/sec/ {r=$2} $1 == "99%" {p=$2} END {print r " | " p}')"
    second="$(wrk -t2 -c64 -d10s --latency -s "$work/lr.lua" "$lr" | awk '/Requests\/sec/ {r=$2} $1 == "99%" {p=$2} END {print r " | " p}')"
    echo "| $mode (round $round) | $plain | $dirty | $first | $second |"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
