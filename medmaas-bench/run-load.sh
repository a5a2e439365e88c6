#!/usr/bin/env bash
# HTTP load on loopback with wrk (Debian: wrk), single-row predictions, authenticated and audited as
# in production, against the peer most teams would use instead (FastAPI + uvicorn + scikit-learn/xgboost;
# Debian: python3-fastapi python3-uvicorn python3-sklearn python3-xgboost) and our own no-op route as
# the ceiling; then dynamic batching on and off for the MLP, server memory with 20 models loaded and
# cold start to the first prediction. Needs target/bench/quality/pima.csv (run run-quality.sh first).
# Each cell of the main table is the median of three rounds that alternate between the servers.
# Prints the tables for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-10s}"
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME OMP_WAIT_POLICY=PASSIVE
py=/usr/bin/python3
data=target/bench/quality/pima.csv
[ -f "$data" ] || { echo "run medmaas-bench/run-quality.sh first ($data is missing)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
./mvnw -q -B -Dmaven.test.skip=true package
work=target/bench/load
rm -rf "$work"
mkdir -p "$work"
# Through the launcher, as users run it (with its class-data-sharing archive).
medmaas=(./medmaas)
reg=(--registry "$work/registry")
for m in lr gbt mlp; do
  "${medmaas[@]}" train diagnosis --data "$data" --target diabetes --model "$m" --out "$work/model-$m" >/dev/null 2>&1
  "${medmaas[@]}" models register "pima-$m" "$work/model-$m" "${reg[@]}" >/dev/null
done
token="$("${medmaas[@]}" keys create --owner bench --role predictor "${reg[@]}" | head -1)"
port=18181
peer_port=18182

start_server() { # $1: settings file
  "${medmaas[@]}" serve --port "$port" --config "$1" "${reg[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  until curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; do sleep 0.2; done
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

record='{"record": {"pregnant": 6, "glucose": 148, "pressure": 72, "triceps": 35, "insulin": null, "mass": 33.6, "pedigree": 0.627, "age": 50}}'
infer='{"inputs": [{"name": "pregnant", "shape": [1], "datatype": "FP64", "data": [6]}, {"name": "glucose", "shape": [1], "datatype": "FP64", "data": [148]}, {"name": "pressure", "shape": [1], "datatype": "FP64", "data": [72]}, {"name": "triceps", "shape": [1], "datatype": "FP64", "data": [35]}, {"name": "insulin", "shape": [1], "datatype": "FP64", "data": [null]}, {"name": "mass", "shape": [1], "datatype": "FP64", "data": [33.6]}, {"name": "pedigree", "shape": [1], "datatype": "FP64", "data": [0.627]}, {"name": "age", "shape": [1], "datatype": "FP64", "data": [50]}]}'
lua() { # $1 method, $2 body
  printf 'wrk.method = "%s"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$1" "$2" "$token"
}
lua POST "$record" >"$work/record.lua"
lua POST "$infer" >"$work/infer.lua"
lua GET "" >"$work/get.lua"

source medmaas-bench/wrk-helpers.sh

printf 'batch_learners: [mlp]\n' >"$work/batching.yaml"
printf 'batch_learners: []\n' >"$work/no-batching.yaml"
MEDMAAS_PEER_DATA="$(pwd)/$data" "$py" -m uvicorn --app-dir medmaas-bench/peers fastapi_peer:app --workers 2 \
  --port "$peer_port" --log-level warning >"$work/peer.log" 2>&1 &
peer_pid=$!
trap 'kill "$peer_pid" 2>/dev/null || true; [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$peer_port/health" >/dev/null; do sleep 0.5; done
start_server "$work/batching.yaml"

# Warm both servers' JITs on every route measured below before any figure is taken.
warm "$work/get.lua http://127.0.0.1:$port/api/v1/noop" \
    "$work/record.lua http://127.0.0.1:$port/api/v1/diagnosis/pima-lr/predict" \
    "$work/infer.lua http://127.0.0.1:$port/v2/models/pima-gbt/infer" \
    "$work/record.lua http://127.0.0.1:$port/api/v1/diagnosis/pima-mlp/predict" \
    "$work/record.lua http://127.0.0.1:$peer_port/predict/lr"

# Three rounds, each taking every route in turn (ours and the peer's alternating), so a slow
# stretch of the machine falls on both servers; each cell is the median of its three runs.
rounds=3
declare -A result
for round in $(seq 1 "$rounds"); do
  result[noop:$round]="$(measure "$work/get.lua" "http://127.0.0.1:$port/api/v1/noop")"
  for m in lr gbt mlp; do
    result[$m:service:$round]="$(measure "$work/record.lua" "http://127.0.0.1:$port/api/v1/diagnosis/pima-$m/predict")"
    result[$m:infer:$round]="$(measure "$work/infer.lua" "http://127.0.0.1:$port/v2/models/pima-$m/infer")"
    result[$m:peer:$round]="$(measure "$work/record.lua" "http://127.0.0.1:$peer_port/predict/$m")"
  done
done

echo "# $(date -u +%FT%TZ) on $(nproc) cores; wrk -t2 -c64 -d$duration after a 50 s warm-up of both servers and 5 s per route; one row per request;"
echo "# each cell the median of $rounds rounds that alternate between the servers"
echo
echo "| model | MedMaaS service API req/s | p50 ms | p99 ms | MedMaaS protocol infer req/s | p50 ms | p99 ms | FastAPI peer req/s | p50 ms | p99 ms | service / peer throughput | peer p99 / service p99 | service / no-op ceiling |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
noop_rps=$(median noop 1); noop_p50=$(median noop 2); noop_p99=$(median noop 3)
for m in lr gbt mlp; do
  awk -v m="$m" -v a="$(median $m:service 1)" -v b="$(median $m:service 2)" -v c="$(median $m:service 3)" \
      -v d="$(median $m:infer 1)" -v e="$(median $m:infer 2)" -v f="$(median $m:infer 3)" \
      -v g="$(median $m:peer 1)" -v h="$(median $m:peer 2)" -v i="$(median $m:peer 3)" -v n="$noop_rps" \
      'BEGIN { printf "| %s | %.0f | %s | %s | %.0f | %s | %s | %.0f | %s | %s | %.1f× | %.1f× | %.0f %% |\n",
      m, a, b, c, d, e, f, g, h, i, a / g, i / c, 100 * a / n }'
done
echo "| no-op (authenticated, audited) | $noop_rps | $noop_p50 | $noop_p99 | | | | | | | | | 100 % |"
echo
echo "Each round's p99 in ms (round 1/2/3), to show the spread behind the medians:"
echo
echo "| model | service API | protocol infer | FastAPI peer |"
echo "|---|---|---|---|"
for m in lr gbt mlp; do
  echo "| $m | $(each $m:service 3) | $(each $m:infer 3) | $(each $m:peer 3) |"
done
echo "| no-op | $(each noop 3) | | |"
echo
echo "Dynamic batching, MLP service API:"
echo
echo "| clients | batching on req/s | p99 ms | batching off req/s | p99 ms |"
echo "|---|---|---|---|---|"
for c in 64; do
  read -r on_rps _ on_p99 < <(measure "$work/record.lua" "http://127.0.0.1:$port/api/v1/diagnosis/pima-mlp/predict" "$c")
  stop_server
  start_server "$work/no-batching.yaml"
  read -r off_rps _ off_p99 < <(measure "$work/record.lua" "http://127.0.0.1:$port/api/v1/diagnosis/pima-mlp/predict" "$c")
  echo "| $c | $on_rps | $on_p99 | $off_rps | $off_p99 |"
done
stop_server
kill "$peer_pid"; wait "$peer_pid" 2>/dev/null || true

# Memory with 20 model versions loaded, and cold start: launch to the first answered prediction.
for i in $(seq 1 20); do
  m=$(( i % 3 )); learner=$([ $m = 0 ] && echo lr || ([ $m = 1 ] && echo gbt || echo mlp))
  "${medmaas[@]}" models register "load-$i" "$work/model-$learner" "${reg[@]}" >/dev/null
done
colds=()
for run in 1 2 3; do
  start=$(date +%s%N)
  "${medmaas[@]}" serve --port "$port" "${reg[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  until curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$record" \
      "http://127.0.0.1:$port/api/v1/diagnosis/pima-lr/predict"; do sleep 0.05; done
  colds+=($(( ($(date +%s%N) - start) / 1000000 )))
  [ "$run" = 3 ] || stop_server
done
cold="${colds[*]}"
for i in $(seq 1 20); do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$record" \
    "http://127.0.0.1:$port/api/v1/diagnosis/load-$i/predict"
done
rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
echo
echo "Memory and start-up: server RSS $rss MiB with 23 model versions loaded (20 + the 3 above; goal under 1 GiB);"
echo "cold start to the first answered prediction, three starts: ${cold} ms (goal under 3 s)."
stop_server
