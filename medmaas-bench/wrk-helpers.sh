# Shared by the load scripts (sourced): wrk measurements. The caller sets $work (scratch folder) and
# $duration (wrk's -d of a measurement).

# wrk prints 1.23ms, 456.78us or 1.02s; this prints milliseconds.
ms() {
  case "$1" in *us) echo "${1%us}" | awk '{printf "%.3f", $1 / 1000}';; *ms) echo "${1%ms}";; *s) echo "${1%s}" | awk '{printf "%.1f", $1 * 1000}';; esac
}

# One measurement: warm up for 5 s, then $duration; prints "req/s p50 p99" (ms). Any non-2xx answer stops the run.
measure() { # $1 lua, $2 url, $3 connections (default 64)
  wrk -t2 -c"${3:-64}" -d5s -s "$1" "$2" >/dev/null
  wrk -t2 -c"${3:-64}" -d"$duration" --latency -s "$1" "$2" >"$work/wrk.out"
  if grep -q "Non-2xx" "$work/wrk.out"; then echo "non-2xx answers: $(cat "$work/wrk.out")" >&2; exit 1; fi
  if grep -Eq "Socket errors:.*timeout [1-9]" "$work/wrk.out"; then echo "timeouts: $(cat "$work/wrk.out")" >&2; exit 1; fi
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.out")
  echo "$rps $(ms "$p50") $(ms "$p99")"
}

# Warms a server's JIT: WARM seconds (default 60) of load on each "LUA URL" pair given. 10 s was
# not enough on 2 cores: 10 s into load on the LR route the JIT compilers still took a quarter of
# the server's CPU, and the route answered 2,800-3,600 req/s against 7,600 after 40 s; 30 s into
# load they still took 13-20 % (7,400-11,300 req/s from one start to the next), 90 s in, 6 %.
warm() {
  local target script url
  for target in "$@"; do
    read -r script url <<<"$target"
    wrk -t2 -c64 -d"${WARM:-60}s" -s "$script" "$url" >/dev/null
  done
}

# Over the caller's $rounds rounds of measurements kept in the associative array result[KEY:ROUND]:
median() { # $1 key, $2 field (1 req/s, 2 p50, 3 p99): the median over the rounds
  for round in $(seq 1 "$rounds"); do echo "${result[$1:$round]}" | awk -v f="$2" '{print $f}'; done | sort -g | sed -n "$(( (rounds + 1) / 2 ))p"
}
each() { # $1 key, $2 field: every round's figure, in order
  for round in $(seq 1 "$rounds"); do echo "${result[$1:$round]}" | awk -v f="$2" '{print $f}'; done | paste -sd/ -
}
