#!/usr/bin/env bash
# Serving throughput of this checkout against an earlier revision of MedMaaS, in the same run on the
# same machine: both builds serve the same model bundles (trained by the earlier build, so both can
# read them) from registries of their own, and wrk measures single-row predictions on the service
# API and the Open Inference Protocol for LR, GBT and the MLP, alternating between the two servers
# in three rounds; each cell is the median of its three runs. A refactoring that should not change
# speed is checked with it ("within noise": the ratio's spread across rounds is printed too).
# Usage: medmaas-bench/run-load-compare.sh BASE_REV [DURATION]   (e.g. bba096c 10s). Needs wrk (Debian).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base_rev="${1:?usage: run-load-compare.sh BASE_REV [DURATION]}"
duration="${2:-10s}"
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME OMP_WAIT_POLICY=PASSIVE
data=../shared/datasets/pima-indians-diabetes/PimaIndiansDiabetes2.csv
[ -f "$data" ] || { echo "the Pima dataset is missing ($data)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work="$(pwd)/target/bench/compare"
rm -rf "$work"
mkdir -p "$work"
git worktree remove --force "$work/base-tree" 2>/dev/null || true
git worktree add --detach "$work/base-tree" "$base_rev" >/dev/null
trap 'kill ${pids:-} 2>/dev/null || true; git worktree remove --force "$work/base-tree" 2>/dev/null || true' EXIT
(cd "$work/base-tree" && ./mvnw -q -B -Dmaven.test.skip=true package)
./mvnw -q -B -Dmaven.test.skip=true package
base=("$work/base-tree/medmaas")
head=(./medmaas)
for m in lr gbt mlp; do
  "${base[@]}" train diagnosis --data "$data" --target diabetes --model "$m" --out "$work/model-$m" >/dev/null 2>&1
done
setup() { # $1 name, rest: launcher; registers the three bundles and prints a predictor key
  local name=$1; shift
  for m in lr gbt mlp; do "$@" models register "pima-$m" "$work/model-$m" --registry "$work/registry-$name" >/dev/null; done
  "$@" keys create --owner bench --role predictor --registry "$work/registry-$name" | head -1
}
base_token="$(setup base "${base[@]}")"
head_token="$(setup head "${head[@]}")"
base_port=18191
head_port=18192
"${base[@]}" serve --port "$base_port" --registry "$work/registry-base" >"$work/base.log" 2>&1 &
pids="$!"
"${head[@]}" serve --port "$head_port" --registry "$work/registry-head" >"$work/head.log" 2>&1 &
pids="$pids $!"
for p in "$base_port" "$head_port"; do until curl -sf "http://127.0.0.1:$p/v2/health/ready" >/dev/null; do sleep 0.2; done; done

record='{"record": {"pregnant": 6, "glucose": 148, "pressure": 72, "triceps": 35, "insulin": null, "mass": 33.6, "pedigree": 0.627, "age": 50}}'
infer='{"inputs": [{"name": "pregnant", "shape": [1], "datatype": "FP64", "data": [6]}, {"name": "glucose", "shape": [1], "datatype": "FP64", "data": [148]}, {"name": "pressure", "shape": [1], "datatype": "FP64", "data": [72]}, {"name": "triceps", "shape": [1], "datatype": "FP64", "data": [35]}, {"name": "insulin", "shape": [1], "datatype": "FP64", "data": [null]}, {"name": "mass", "shape": [1], "datatype": "FP64", "data": [33.6]}, {"name": "pedigree", "shape": [1], "datatype": "FP64", "data": [0.627]}, {"name": "age", "shape": [1], "datatype": "FP64", "data": [50]}]}'
lua() { # $1 body, $2 token
  printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$1" "$2"
}
for who in base head; do
  token_var="${who}_token"
  lua "$record" "${!token_var}" >"$work/$who-record.lua"
  lua "$infer" "${!token_var}" >"$work/$who-infer.lua"
done
ms() { case "$1" in *us) echo "${1%us}" | awk '{printf "%.3f", $1 / 1000}';; *ms) echo "${1%ms}";; *s) echo "${1%s}" | awk '{printf "%.1f", $1 * 1000}';; esac; }
measure() { # $1 lua, $2 url: warm 5 s, measure; prints "req/s p99"
  wrk -t2 -c64 -d5s -s "$1" "$2" >/dev/null
  wrk -t2 -c64 -d"$duration" --latency -s "$1" "$2" >"$work/wrk.out"
  if grep -q "Non-2xx" "$work/wrk.out"; then echo "non-2xx answers: $(cat "$work/wrk.out")" >&2; exit 1; fi
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out") $(ms "$(awk '$1 == "99%" {print $2}' "$work/wrk.out")")"
}
url() { # $1 who, $2 route kind, $3 model
  local port_var="${1}_port"
  if [ "$2" = service ]; then echo "http://127.0.0.1:${!port_var}/api/v1/diagnosis/pima-$3/predict"
  else echo "http://127.0.0.1:${!port_var}/v2/models/pima-$3/infer"; fi
}
# Warm both JITs on every route first.
for who in base head; do for m in lr gbt mlp; do
  wrk -t2 -c64 -d5s -s "$work/$who-record.lua" "$(url $who service $m)" >/dev/null
  wrk -t2 -c64 -d5s -s "$work/$who-infer.lua" "$(url $who infer $m)" >/dev/null
done; done
rounds=3
declare -A result
for round in $(seq 1 "$rounds"); do
  for m in lr gbt mlp; do
    for kind in service infer; do
      script=record; [ "$kind" = infer ] && script=infer
      result[$m:$kind:base:$round]="$(measure "$work/base-$script.lua" "$(url base $kind $m)")"
      result[$m:$kind:head:$round]="$(measure "$work/head-$script.lua" "$(url head $kind $m)")"
    done
  done
done
median() { for r in $(seq 1 "$rounds"); do echo "${result[$1:$r]}" | awk -v f="$2" '{print $f}'; done | sort -g | sed -n "$(( (rounds + 1) / 2 ))p"; }
ratios() { for r in $(seq 1 "$rounds"); do awk -v a="$(echo "${result[$1:head:$r]}" | cut -d' ' -f1)" -v b="$(echo "${result[$1:base:$r]}" | cut -d' ' -f1)" 'BEGIN {printf "%.2f", a / b}'; echo; done | paste -sd/ -; }
echo "# $(date -u +%FT%TZ) on $(nproc) cores: this checkout ($(git rev-parse --short HEAD)) against $base_rev; wrk -t2 -c64 -d$duration,"
echo "# 5 s warm-up per run; each cell the median of $rounds rounds alternating between the two servers"
echo
echo "| model | route | $base_rev req/s | p99 ms | this req/s | p99 ms | this / $base_rev throughput (median) | per round |"
echo "|---|---|---|---|---|---|---|---|"
for m in lr gbt mlp; do for kind in service infer; do
  awk -v m="$m" -v k="$kind" -v a="$(median "$m:$kind:base" 1)" -v b="$(median "$m:$kind:base" 2)" \
      -v c="$(median "$m:$kind:head" 1)" -v d="$(median "$m:$kind:head" 2)" -v r="$(ratios "$m:$kind")" \
      'BEGIN { printf "| %s | %s | %.0f | %s | %.0f | %s | %.2f | %s |\n", m, k, a, b, c, d, c / a, r }'
done; done
