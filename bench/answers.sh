#!/usr/bin/env bash
# Allocation per request for large function answers: lambda-proxy in front of a Python stand-in
# (tools/big_answer_standin.py) answering every Invoke call with a 4.6 MB JSON array or a 4 MiB
# JSON string. GET /hello at 1 connection, 4 s of warm-up then 6 s measured; the allocation is
# summed from -Xlog:gc. Usage: bench/answers.sh [--jar PATH] [array|string]...
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"

BENCH_JAR="$REPO_DIR/server/target/lambda-proxy.jar"
SHAPES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || bench_die "--jar needs a path"; BENCH_JAR="$2"; shift ;;
    --help|-h) sed -n '2,5p' "$0" | sed 's/^# //'; exit 0 ;;
    array|string) SHAPES+=("$1") ;;
    *) bench_die "unknown argument '$1'; see --help" ;;
  esac
  shift
done
[ "${#SHAPES[@]}" -gt 0 ] || SHAPES=(array string)
case "$BENCH_JAR" in /*) ;; *) BENCH_JAR="$PWD/$BENCH_JAR" ;; esac
[ -f "$BENCH_JAR" ] || bench_die "no jar at $BENCH_JAR; build it (mvn -B -DskipTests package) or pass --jar"
bench_require python3:python3-minimal wrk:wrk curl:curl
LP_JAVA_OPTS="${LP_JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC}"
# shellcheck disable=SC2034 # read by bench_start_lambda_proxy
LP_ARGS=(--admin-port off --access-log false)

BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/lambda-proxy-answers.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

printf '| answer | requests in 6 s | requests/s | non-2xx | allocated per request |\n|---|---:|---:|---:|---:|\n'
for shape in "${SHAPES[@]}"; do
  standin_port=$(bench_free_port)
  python3 "$BENCH_DIR/tools/big_answer_standin.py" "$standin_port" "$shape" >"$BENCH_WORK/standin-$shape.log" 2>&1 &
  standin_pid=$!
  BENCH_PIDS+=("$standin_pid")
  bench_wait_200 "$standin_pid" 30 POST "http://127.0.0.1:$standin_port/2015-03-31/functions/hello/invocations" '{}' \
    || bench_die "the stand-in did not answer: $(cat "$BENCH_WORK/standin-$shape.log")"
  bench_lambda_proxy_conf "$BENCH_WORK/conf-$shape" "$standin_port"
  port=$(bench_free_port)
  gc_log="$BENCH_WORK/gc-$shape.log"
  bench_start_lambda_proxy "$BENCH_WORK/conf-$shape" "$port" "$BENCH_WORK/lp-$shape.log" "-Xlog:gc:file=$gc_log"
  url="http://127.0.0.1:$port/hello"
  bench_wait_200 "$LP_PID" 60 GET "$url" || bench_die "lambda-proxy did not answer: $(tail -n 5 "$BENCH_WORK/lp-$shape.log")"
  bench_wrk "$BENCH_WORK/warm-$shape.wrk" -t1 -c1 -d4s "$url"
  mark=$(wc -l <"$gc_log")
  bench_wrk "$BENCH_WORK/$shape.wrk" -t1 -c1 -d6s --latency "$url"
  read -r rps _ _ _ _ bad n <<<"$(bench_parse_wrk "$BENCH_WORK/$shape.wrk")"
  # Heap before each GC minus heap after the previous one, summed over the GCs of the measured run.
  alloc=$(awk -v from="$mark" '
    function mb(v) { if (v ~ /K$/) return substr(v, 1, length(v) - 1) / 1024; if (v ~ /M$/) return substr(v, 1, length(v) - 1) + 0; if (v ~ /G$/) return substr(v, 1, length(v) - 1) * 1024; return v / 1048576 }
    match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/) { t = substr($0, RSTART, RLENGTH); split(t, a, /->|\(/)
      if (NR > from && have) alloc += mb(a[1]) - last; last = mb(a[2]); have = 1 }
    END { printf "%.0f\n", alloc }' "$gc_log")
  printf '| %s | %s | %s | %s | %s |\n' "$shape" "$n" "$rps" "$bad" \
    "$(awk -v a="$alloc" -v n="$n" 'BEGIN { if (n + 0 == 0) print "-"; else printf "%.1f MB\n", a / n }')"
  bench_stop "$LP_PID"
  bench_stop "$standin_pid"
done
