#!/usr/bin/env bash
# Serving against the strongest Python peer (issue 12, part 3). The peer (peers/strong_peer.py) does
# what MedMaaS does per prediction: a bearer-key check and a hash-chained audit entry forced to disk
# (fsync, group-committed) before the answer. First its settings are tried — uvicorn workers 1 and
# 2, pydantic or manual validation, the standard json module or ujson, asyncio+h11 or uvloop+httptools
# — on the LR route at 64 connections, and the fastest is kept. Then MedMaaS and that peer are
# measured at 16 and 64 connections, in three rounds alternating between them (each cell the median),
# with MedMaaS's audited no-op route and its plain unauthenticated one (/v2/health/live) beside.
# Neither side writes an access log (see below); each route is warmed WARM seconds (default 60).
# Needs wrk and Debian's python3-fastapi python3-uvicorn python3-uvloop python3-httptools
# python3-ujson python3-sklearn python3-xgboost python3-pandas.
#   medmaas-bench/run-serving-peer.sh [DURATION]    (default 10s)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-10s}"
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME OMP_WAIT_POLICY=PASSIVE
py=/usr/bin/python3
source_csv=../shared/datasets/pima-indians-diabetes/PimaIndiansDiabetes2.csv
[ -f "$source_csv" ] || { echo "the Pima dataset is missing ($source_csv)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
"$py" -c 'import fastapi, uvicorn, uvloop, httptools, ujson, sklearn, xgboost, pandas' \
  || { echo "apt-get install python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-ujson python3-sklearn python3-xgboost python3-pandas" >&2; exit 1; }
work="$(pwd)/target/bench/serving-peer"
rm -rf "$work"
mkdir -p "$work"
"$py" - "$source_csv" "$work/pima.csv" <<'EOF'
import sys, pandas as pd
d = pd.read_csv(sys.argv[1]); d["diabetes"] = d["diabetes"].eq("pos"); d.to_csv(sys.argv[2], index=False)
EOF
./mvnw -q -B -Dmaven.test.skip=true package
medmaas=(./medmaas)
reg=(--registry "$work/registry")
for m in lr gbt; do
  "${medmaas[@]}" train diagnosis --data "$work/pima.csv" --target diabetes --model "$m" --out "$work/model-$m" >/dev/null 2>&1
  "${medmaas[@]}" models register "pima-$m" "$work/model-$m" "${reg[@]}" >/dev/null
done
token="$("${medmaas[@]}" keys create --owner bench --role predictor "${reg[@]}" | head -1)"
port=18281
peer_port=18282
server_pid=""
peer_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null; true' EXIT

record='{"record": {"pregnant": 6, "glucose": 148, "pressure": 72, "triceps": 35, "insulin": null, "mass": 33.6, "pedigree": 0.627, "age": 50}}'
lua() { # $1 method, $2 body
  printf 'wrk.method = "%s"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$1" "$2" "$token"
}
lua POST "$record" >"$work/record.lua"
lua GET "" >"$work/get.lua"
printf 'wrk.method = "GET"\n' >"$work/plain.lua"
source medmaas-bench/wrk-helpers.sh
start_peer() { # $1 workers, $2 validation, $3 json, $4 loop, $5 http
  rm -rf "$work/peer-audit"
  (cd medmaas-bench/peers && MEDMAAS_PEER_DATA="$work/pima.csv" MEDMAAS_PEER_KEY="$token" MEDMAAS_PEER_AUDIT="$work/peer-audit" \
    PEER_VALIDATION="$2" PEER_JSON="$3" exec "$py" -m uvicorn strong_peer:app --workers "$1" --loop "$4" --http "$5" \
    --port "$peer_port" --log-level warning --no-access-log) >"$work/peer.log" 2>&1 &
  peer_pid=$!
  until curl -sf "http://127.0.0.1:$peer_port/health" >/dev/null; do sleep 0.5; done
  curl -sf -H "Authorization: Bearer $token" -H "Content-Type: application/json" -d "$record" "http://127.0.0.1:$peer_port/predict/lr" >/dev/null
}
stop_peer() { kill "$peer_pid"; wait "$peer_pid" 2>/dev/null || true; peer_pid=""; }

echo "# $(date -u +%FT%TZ) on $(nproc) cores; wrk -t2 -d$duration after 5 s of warm-up per measurement"
echo
echo "Peer settings tried (LR route, 64 connections):"
echo
echo "| workers | validation | json | loop / http | req/s | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|---|"
best=""
best_rps=0
for config in "1 pydantic json asyncio h11" "1 pydantic json uvloop httptools" "1 manual json uvloop httptools" \
    "1 manual ujson uvloop httptools" "2 manual ujson uvloop httptools" "2 pydantic json uvloop httptools"; do
  read -r w v j l h <<<"$config"
  start_peer "$w" "$v" "$j" "$l" "$h"
  read -r rps p50 p99 < <(measure "$work/record.lua" "http://127.0.0.1:$peer_port/predict/lr" 64)
  stop_peer
  echo "| $w | $v | $j | $l / $h | $rps | $p50 | $p99 |"
  if awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then best="$config"; best_rps="$rps"; fi
done
echo
echo "Kept: $best"
echo

# No access log on either side: the peer's fastest setting has none (--no-access-log), so ours is
# off too (its logger's level). Written to a file on the benchmark's disk, ours cost the route
# measured after the plain one a p99 of 220-280 ms: the plain route's 40,000+ lines a second left
# ~170 MB of dirty pages whose writeback held up the audit journal's fsyncs
# (medmaas-bench/run-log-writeback.sh; docs/benchmarks.md, issue 12 part 3).
printf 'handlers = java.util.logging.ConsoleHandler\n.level = INFO\nmedmaas.access.level = OFF\n' >"$work/logging.properties"
MEDMAAS_JAVA_OPTS="-Djava.util.logging.config.file=$work/logging.properties ${MEDMAAS_JAVA_OPTS:-}" \
  "${medmaas[@]}" serve --port "$port" "${reg[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
until curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; do sleep 0.2; done
read -r w v j l h <<<"$best"
start_peer "$w" "$v" "$j" "$l" "$h"
warm "$work/get.lua http://127.0.0.1:$port/api/v1/noop" "$work/plain.lua http://127.0.0.1:$port/v2/health/live" \
    "$work/record.lua http://127.0.0.1:$port/api/v1/diagnosis/pima-lr/predict" \
    "$work/record.lua http://127.0.0.1:$port/api/v1/diagnosis/pima-gbt/predict" \
    "$work/record.lua http://127.0.0.1:$peer_port/predict/lr"
rounds=3
declare -A result
for round in $(seq 1 "$rounds"); do
  for c in 16 64; do
    result[noop:$c:$round]="$(measure "$work/get.lua" "http://127.0.0.1:$port/api/v1/noop" "$c")"
    result[plain:$c:$round]="$(measure "$work/plain.lua" "http://127.0.0.1:$port/v2/health/live" "$c")"
    for m in lr gbt; do
      result[$m:ours:$c:$round]="$(measure "$work/record.lua" "http://127.0.0.1:$port/api/v1/diagnosis/pima-$m/predict" "$c")"
      result[$m:peer:$c:$round]="$(measure "$work/record.lua" "http://127.0.0.1:$peer_port/predict/$m" "$c")"
    done
  done
done
echo "MedMaaS (service API, authenticated, audit fsynced) against the kept peer; medians of $rounds rounds:"
echo
echo "| model | connections | MedMaaS req/s | p50 ms | p99 ms | peer req/s | p50 ms | p99 ms | throughput ratio | peer p99 / ours |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for m in lr gbt; do
  for c in 16 64; do
    awk -v m="$m" -v c="$c" -v a="$(median $m:ours:$c 1)" -v b="$(median $m:ours:$c 2)" -v d="$(median $m:ours:$c 3)" \
        -v e="$(median $m:peer:$c 1)" -v f="$(median $m:peer:$c 2)" -v g="$(median $m:peer:$c 3)" \
        'BEGIN { printf "| %s | %s | %.0f | %s | %s | %.0f | %s | %s | %.1f× | %.1f× |\n", m, c, a, b, d, e, f, g, a / e, g / d }'
  done
done
echo
echo "| no-op | connections | req/s | p50 ms | p99 ms | audited / plain |"
echo "|---|---|---|---|---|---|"
for c in 16 64; do
  awk -v c="$c" -v a="$(median noop:$c 1)" -v b="$(median noop:$c 2)" -v d="$(median noop:$c 3)" \
      -v e="$(median plain:$c 1)" -v f="$(median plain:$c 2)" -v g="$(median plain:$c 3)" \
      'BEGIN { printf "| audited (/api/v1/noop) | %s | %.0f | %s | %s | %.0f %% |\n| plain (/v2/health/live) | %s | %.0f | %s | %s | |\n", c, a, b, d, 100 * a / e, c, e, f, g }'
done
echo
echo "Each round's req/s and p99 (round 1/2/3):"
echo
echo "| route | connections | req/s | p99 ms |"
echo "|---|---|---|---|"
for c in 16 64; do
  for k in lr:ours lr:peer gbt:ours gbt:peer noop plain; do
    echo "| $k | $c | $(each "$k:$c" 1) | $(each "$k:$c" 3) |"
  done
done
