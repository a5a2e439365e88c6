#!/usr/bin/env bash
# Where the serving time goes: JFR (the JDK's own profiler) records the server while wrk loads one
# route, then the CPU samples are summed (whole stacks: by area, by the innermost MedMaaS frame, by
# stage of a request), the blocking events (monitor waits, parks, file forces) are totalled, and the
# CPU time of the server's threads over the measured window is read from /proc (JIT, GC and kernel
# time included, which JFR's samples do not show). The server is warmed for WARM seconds first
# (default 60): 10 s into load the JIT compilers still took a quarter of its CPU.
# Needs wrk and a registry with a pima-lr model (run-serving-peer.sh leaves one).
#   medmaas-bench/run-profile.sh [ROUTE] [CONNECTIONS] [DURATION]
#   ROUTE: noop (the audited no-op, default), plain (/v2/health/live) or lr (the LR service API)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
route="${1:-noop}"
connections="${2:-64}"
duration="${3:-20s}"
JAVA_HOME="$(scripts/java-home)"
export JAVA_HOME
work="$(pwd)/target/bench/profile"
registry="$(pwd)/target/bench/serving-peer/registry"
[ -d "$registry" ] || { echo "run medmaas-bench/run-serving-peer.sh first (it leaves $registry)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
token="$(./medmaas keys create --owner profile --role predictor --registry "$registry" | head -1)"
port=18381
MEDMAAS_JAVA_OPTS="-XX:StartFlightRecording=filename=$work/server.jfr,settings=profile,dumponexit=true" \
  ./medmaas serve --port "$port" --registry "$registry" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; do sleep 0.2; done
record='{"record": {"pregnant": 6, "glucose": 148, "pressure": 72, "triceps": 35, "insulin": null, "mass": 33.6, "pedigree": 0.627, "age": 50}}'
case "$route" in
  noop) url="http://127.0.0.1:$port/api/v1/noop"; printf 'wrk.method = "GET"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$token" >"$work/load.lua" ;;
  plain) url="http://127.0.0.1:$port/v2/health/live"; printf 'wrk.method = "GET"\n' >"$work/load.lua" ;;
  lr) url="http://127.0.0.1:$port/api/v1/diagnosis/pima-lr/predict"
      printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$record" "$token" >"$work/load.lua" ;;
  *) echo "ROUTE is noop, plain or lr" >&2; exit 2 ;;
esac
wrk -t2 -c"$connections" -d"${WARM:-60}s" -s "$work/load.lua" "$url" >/dev/null   # warm-up
java_pid="$server_pid" # the launcher execs the JVM
/usr/bin/python3 medmaas-bench/peers/thread_cpu.py snapshot "$java_pid" >"$work/threads-before.json"
wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/load.lua" "$url" >"$work/wrk.out"
/usr/bin/python3 medmaas-bench/peers/thread_cpu.py snapshot "$java_pid" >"$work/threads-after.json"
grep -E "Requests/sec|99%" "$work/wrk.out"
requests="$(awk '/requests in/ {print $1}' "$work/wrk.out")"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
/usr/bin/python3 medmaas-bench/peers/thread_cpu.py diff "$work/threads-before.json" "$work/threads-after.json" "$requests"
echo
"$JAVA_HOME/bin/jfr" print --json --stack-depth 128 --events jdk.ExecutionSample "$work/server.jfr" >"$work/samples.json"
"$JAVA_HOME/bin/jfr" summary "$work/server.jfr" | grep -E "jdk.(ExecutionSample|JavaMonitorEnter|ThreadPark|FileForce|GarbageCollection|GCPhasePause) " || true
/usr/bin/python3 medmaas-bench/peers/jfr_summary.py "$work/samples.json"
