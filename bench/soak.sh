#!/usr/bin/env bash
# Soak test: lambda-proxy under a mixed load for a long time, all on 127.0.0.1. Reports errors by
# kind, RSS, threads and connections every interval; fails on unexpected answers, socket errors,
# leaked connections or threads, or RSS that keeps growing. `bench/soak.sh --help` for the flags.
set -euo pipefail

SOAK_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$SOAK_DIR/.." && pwd)

usage() {
  cat <<'EOF_USAGE'
Usage: bench/soak.sh [--seconds N] [--jar PATH] [--connections N] [--interval S] [--out DIR] [--keep]

Runs the executable jar against a Lambda stand-in (dev.lambdaproxy.reliability.SoakStandIn, from
it/target/test-classes) with wrk at 64 connections for 10 minutes (--seconds 30 for CI), mixing
routes: fast, slow (200 ms), function error (502), large (256 KiB) and timeout (504). Every
interval it prints requests, answers by kind, unexpected answers, socket errors, RSS, threads and
upstream connections; at the end a summary table. Builds nothing: run `mvn -DskipTests package
test-compile` (or any `mvn verify`) first.

Exit status: 0 when every answer was what its route must give, no socket error, and after the load
stops no request is in flight, no upstream connection is left open, the thread count is back near
its warm level (runs of 300 s or more; a shorter run only checks it stays at most 260), and RSS
grew less than --max-rss-growth-mb after warming (at 60 s, or half of a short run); 1 otherwise;
2 for bad usage or a missing build.

  --seconds N            how long the load runs (default 600)
  --jar PATH             the executable jar (default $LAMBDA_PROXY_JAR, else server/target/lambda-proxy.jar)
  --connections N        wrk connections (default 64)
  --interval S           seconds between reports (default 30; shorter runs use a third of --seconds)
  --max-rss-growth-mb M  RSS growth allowed from the warm sample to the end (default 64)
  --out DIR              where the logs and summary.md go (default bench/target/soak-STAMP)
  --keep                 keep the conf folder and logs of a passing run (a failing one is always kept)

Environment: LP_JAVA_OPTS (default "-Xms64m -Xmx192m -XX:+UseSerialGC").
Installs wrk, curl and iproute2 (ss) with apt-get when missing.
EOF_USAGE
}

SECONDS_TOTAL=600
SHORT_RUN_MAX_THREADS=260
JAR="${LAMBDA_PROXY_JAR:-$REPO_DIR/server/target/lambda-proxy.jar}"
CONNECTIONS=64
INTERVAL=""
MAX_RSS_GROWTH_MB=64
OUT_DIR=""
KEEP=0
die() { printf 'soak: %s\n' "$*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || die "--seconds needs a number"; SECONDS_TOTAL="$2"; shift ;;
    --seconds=*) SECONDS_TOTAL="${1#*=}" ;;
    --jar) [ $# -ge 2 ] || die "--jar needs a path"; JAR="$2"; shift ;;
    --jar=*) JAR="${1#*=}" ;;
    --connections) [ $# -ge 2 ] || die "--connections needs a number"; CONNECTIONS="$2"; shift ;;
    --interval) [ $# -ge 2 ] || die "--interval needs seconds"; INTERVAL="$2"; shift ;;
    --max-rss-growth-mb) [ $# -ge 2 ] || die "--max-rss-growth-mb needs a number"; MAX_RSS_GROWTH_MB="$2"; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a folder"; OUT_DIR="$2"; shift ;;
    --keep) KEEP=1 ;;
    --help|-h) usage; exit 0 ;;
    *) die "unknown option '$1'; see --help" ;;
  esac
  shift
done
case "$SECONDS_TOTAL$CONNECTIONS$MAX_RSS_GROWTH_MB${INTERVAL:-1}" in *[!0-9]*) die "numbers only for --seconds, --connections, --interval, --max-rss-growth-mb" ;; esac
[ "$SECONDS_TOTAL" -ge 10 ] || die "--seconds must be at least 10"
if [ -z "$INTERVAL" ]; then
  INTERVAL=30
  [ "$SECONDS_TOTAL" -ge 90 ] || INTERVAL=$((SECONDS_TOTAL / 3))
fi
[ -f "$JAR" ] || die "no jar at $JAR; build it with mvn -DskipTests package"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
TEST_CLASSES="$REPO_DIR/it/target/test-classes"
[ -f "$TEST_CLASSES/dev/lambdaproxy/reliability/SoakStandIn.class" ] \
  || die "no SoakStandIn in $TEST_CLASSES; run mvn test-compile"

# Debian packages behind missing commands, installed once.
missing=()
for pair in wrk:wrk curl:curl ss:iproute2 java:openjdk-17-jre-headless; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  printf 'soak: installing %s\n' "${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >/dev/null 2>&1 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || die "apt-get install ${missing[*]} failed"
fi

[ -n "$OUT_DIR" ] || OUT_DIR="$SOAK_DIR/target/soak-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT_DIR/conf"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
PIDS=()
cleanup() {
  local pid
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
}
trap cleanup EXIT

# A loopback port nobody listens on, below Linux's ephemeral range so wrk's sockets never hold it.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then printf '%s\n' "$port"; return 0; fi
  done
  die "no free port on 127.0.0.1"
}

# The stand-in: from the proxy's jar (Jetty) and the test classes; it prints its port.
java -Xms32m -Xmx256m -XX:+UseSerialGC -cp "$TEST_CLASSES:$JAR" dev.lambdaproxy.reliability.SoakStandIn 0 \
  >"$OUT_DIR/standin.log" 2>&1 &
STANDIN_PID=$!
PIDS+=("$STANDIN_PID")
STANDIN_PORT=""
for _ in $(seq 1 200); do
  STANDIN_PORT=$(awk '/^PORT / {print $2; exit}' "$OUT_DIR/standin.log" 2>/dev/null || true)
  [ -n "$STANDIN_PORT" ] && break
  kill -0 "$STANDIN_PID" 2>/dev/null || { cat "$OUT_DIR/standin.log" >&2; die "the stand-in did not start"; }
  sleep 0.1
done
[ -n "$STANDIN_PORT" ] || die "the stand-in did not say its port; see $OUT_DIR/standin.log"

cat >"$OUT_DIR/conf/routes.properties" <<'EOF_ROUTES'
/fast = soak-fast
/slow = soak-slow
/error = soak-error
/large = soak-large
/timeout = soak-timeout ; timeout-ms=500
EOF_ROUTES
# keepalive-ms 5000: once the load stops, idle pooled connections close within seconds, so any
# connection still open after that is a leak.
printf 'region = us-east-1\nendpoint = http://127.0.0.1:%s\ntimeout-ms = 5000\nkeepalive-ms = 5000\n' "$STANDIN_PORT" \
  >"$OUT_DIR/conf/lambda-proxy.properties"

PORT=$(free_port)
ADMIN_PORT=$(free_port)
# shellcheck disable=SC2086 # LP_JAVA_OPTS is a list of flags
env -u AWS_REGION -u AWS_DEFAULT_REGION -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_LAMBDA -u AWS_SESSION_TOKEN \
  -u LAMBDA_PROXY_CONF -u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS \
  AWS_ACCESS_KEY_ID=AKIDSOAKSTANDIN AWS_SECRET_ACCESS_KEY=soak/secret/not/a/real/key \
  java ${LP_JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC} -jar "$JAR" --host 127.0.0.1 --port "$PORT" \
  --admin-port "$ADMIN_PORT" --access-log false --conf "$OUT_DIR/conf" >"$OUT_DIR/proxy.log" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")
ready=0
for _ in $(seq 1 300); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/fast" 2>/dev/null)" = 200 ]; then ready=1; break; fi
  kill -0 "$PROXY_PID" 2>/dev/null || break
  sleep 0.1
done
[ "$ready" = 1 ] || { tail -20 "$OUT_DIR/proxy.log" >&2; printf 'soak: lambda-proxy did not answer 200 on /fast\n' >&2; exit 1; }

metric() { # metric NAME [LABEL-FRAGMENT]: a value from the admin port's Prometheus text, else -1
  local text
  text=$(curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" 2>/dev/null) || true
  awk -v name="$1" -v labels="${2:-}" '!found && $1 ~ "^"name"({|$)" && index($1, labels) { printf "%d\n", $2; found=1 } END { if (!found) print -1 }' <<<"$text"
}
rss_mb() { awk '/^VmRSS:/ {printf "%d\n", $2 / 1024}' "/proc/$PROXY_PID/status"; }
threads() { ls "/proc/$PROXY_PID/task" | wc -l; }
upstream_sockets() { ss -Htan state established "( dport = :$STANDIN_PORT )" 2>/dev/null | wc -l; }

printf 'soak: lambda-proxy pid %s on :%s (admin :%s), stand-in on :%s; %s s at %s connections, report every %s s\n' \
  "$PROXY_PID" "$PORT" "$ADMIN_PORT" "$STANDIN_PORT" "$SECONDS_TOTAL" "$CONNECTIONS" "$INTERVAL"
printf '\n| t (s) | requests | req/s | fast | slow | large | error 502 | timeout 504 | unexpected | socket errors | p99 ms | RSS MB | threads | upstream conns | in flight |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'

declare -A TOTAL=()
for key in requests ok_fast ok_slow ok_large expected_error expected_timeout unexpected socket_connect socket_read socket_write socket_timeout; do
  TOTAL[$key]=0
done
UNEXPECTED_KINDS=""
elapsed=0
segment=0
FIRST_RSS=""
FIRST_THREADS=""
WARM_AT=""
MAX_RSS=0
while [ "$elapsed" -lt "$SECONDS_TOTAL" ]; do
  run=$INTERVAL
  [ $((elapsed + run)) -le "$SECONDS_TOTAL" ] || run=$((SECONDS_TOTAL - elapsed))
  segment=$((segment + 1))
  log="$OUT_DIR/wrk-$segment.log"
  SOAK_LARGE_BYTES=262144 wrk -t2 -c"$CONNECTIONS" -d"${run}s" --timeout 10s -s "$SOAK_DIR/soak.lua" \
    "http://127.0.0.1:$PORT/" >"$log" 2>&1 || { cat "$log" >&2; printf 'soak: wrk failed\n' >&2; exit 1; }
  elapsed=$((elapsed + run))
  declare -A SEG=()
  while read -r _ key value; do SEG[$key]="$value"; done < <(grep '^SOAK ' "$log")
  for key in "${!TOTAL[@]}"; do TOTAL[$key]=$((TOTAL[$key] + ${SEG[$key]:-0})); done
  [ "${SEG[unexpected_kinds]:--}" = "-" ] || UNEXPECTED_KINDS="$UNEXPECTED_KINDS${SEG[unexpected_kinds]} "
  sockets=$(( ${SEG[socket_connect]:-0} + ${SEG[socket_read]:-0} + ${SEG[socket_write]:-0} + ${SEG[socket_timeout]:-0} ))
  rss=$(rss_mb); thr=$(threads); ups=$(upstream_sockets); inflight=$(metric lambda_proxy_in_flight_requests)
  # Warm once a minute has passed (half of a short run): the heap has grown to its working size and
  # the pool to the load's demand. A third of CI's 30-s run (10 s) was too early: the JVM was still
  # compiling, the pool still growing toward the load, and one CI run failed on 74 -> 91 threads.
  if [ -z "$FIRST_RSS" ] && { [ "$elapsed" -ge 60 ] || [ "$elapsed" -ge $((SECONDS_TOTAL / 2)) ]; }; then
    FIRST_RSS=$rss; FIRST_THREADS=$thr; WARM_AT=$elapsed
  fi
  [ "$rss" -le "$MAX_RSS" ] || MAX_RSS=$rss
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$elapsed" "${SEG[requests]:-0}" \
    "$(( ${SEG[requests]:-0} / run ))" "${SEG[ok_fast]:-0}" "${SEG[ok_slow]:-0}" "${SEG[ok_large]:-0}" "${SEG[expected_error]:-0}" \
    "${SEG[expected_timeout]:-0}" "${SEG[unexpected]:-0}" "$sockets" "${SEG[p99_ms]:--}" "$rss" "$thr" "$ups" "$inflight"
  unset SEG
done

# Quiet: pooled connections idle for keepalive-ms (5 s) are closed; nothing may be left in flight.
sleep 8
END_RSS=$(rss_mb); END_THREADS=$(threads); END_UPSTREAM=$(upstream_sockets)
END_INFLIGHT=$(metric lambda_proxy_in_flight_requests)
END_ACTIVE=$(metric lambda_proxy_upstream_connections 'state="active"')
END_JVM_THREADS=$(metric jvm_threads_live_threads)
SOCKET_ERRORS=$((TOTAL[socket_connect] + TOTAL[socket_read] + TOTAL[socket_write] + TOTAL[socket_timeout]))
RSS_GROWTH=$((END_RSS - FIRST_RSS))
THREAD_GROWTH=$((END_THREADS - FIRST_THREADS))

failures=()
[ "${TOTAL[unexpected]}" -eq 0 ] || failures+=("${TOTAL[unexpected]} unexpected answers: $UNEXPECTED_KINDS")
[ "$SOCKET_ERRORS" -eq 0 ] || failures+=("$SOCKET_ERRORS socket errors (connect ${TOTAL[socket_connect]}, read ${TOTAL[socket_read]}, write ${TOTAL[socket_write]}, timeout ${TOTAL[socket_timeout]})")
[ "$END_INFLIGHT" -eq 0 ] || failures+=("$END_INFLIGHT requests still in flight after the load stopped")
[ "$END_ACTIVE" -le 0 ] || failures+=("$END_ACTIVE upstream connections still active after the load stopped")
[ "$END_UPSTREAM" -eq 0 ] || failures+=("$END_UPSTREAM upstream sockets still open 8 s after the load stopped (keepalive-ms is 5000)")
if [ "$SECONDS_TOTAL" -ge 300 ]; then
  [ "$THREAD_GROWTH" -le 16 ] || failures+=("threads grew by $THREAD_GROWTH after warming ($FIRST_THREADS -> $END_THREADS)")
else
  # A short run (CI's 30 s) is a ramp: the JIT is still compiling, throughput still rising and
  # Jetty's pool growing toward it (77 -> 85 -> 104 threads in one CI run, each a healthy thread).
  # Only a runaway counts there: more threads than the pool's 200, the admin pool and the JVM's own.
  [ "$END_THREADS" -le "$SHORT_RUN_MAX_THREADS" ] || failures+=("$END_THREADS threads at the end of a short run (at most $SHORT_RUN_MAX_THREADS: the pool's 200 and the JVM's own)")
fi
[ "$RSS_GROWTH" -le "$MAX_RSS_GROWTH_MB" ] || failures+=("RSS grew by $RSS_GROWTH MB after warming at $WARM_AT s ($FIRST_RSS -> $END_RSS MB)")
for key in ok_fast ok_slow ok_large expected_error expected_timeout; do
  [ "${TOTAL[$key]}" -gt 0 ] || failures+=("no $key answer at all: that route was never answered as planned")
done
STANDIN_STATS=$(curl -s --max-time 5 "http://127.0.0.1:$STANDIN_PORT/stats") || true
STANDIN_REJECTED=$(awk '$1 == "rejected" { print $2 }' <<<"$STANDIN_STATS")
[ -z "$STANDIN_REJECTED" ] || failures+=("the stand-in saw $STANDIN_REJECTED calls that were not signed Invoke POSTs")

{
  printf '\n## Soak summary: %s s at %s connections\n\n' "$SECONDS_TOTAL" "$CONNECTIONS"
  printf '| measure | value |\n|---|---:|\n'
  printf '| requests | %s (%s/s) |\n' "${TOTAL[requests]}" "$(( TOTAL[requests] / SECONDS_TOTAL ))"
  printf '| 200 fast / slow / large | %s / %s / %s |\n' "${TOTAL[ok_fast]}" "${TOTAL[ok_slow]}" "${TOTAL[ok_large]}"
  printf '| expected 502 (function error) / 504 (timeout) | %s / %s |\n' "${TOTAL[expected_error]}" "${TOTAL[expected_timeout]}"
  printf '| unexpected answers | %s |\n' "${TOTAL[unexpected]}"
  printf '| socket errors (connect/read/write/timeout) | %s/%s/%s/%s |\n' "${TOTAL[socket_connect]}" "${TOTAL[socket_read]}" \
    "${TOTAL[socket_write]}" "${TOTAL[socket_timeout]}"
  printf '| RSS warm (at %s s) / peak / end (MB) | %s / %s / %s |\n' "$WARM_AT" "$FIRST_RSS" "$MAX_RSS" "$END_RSS"
  printf '| threads warm / end (JVM live) | %s / %s (%s) |\n' "$FIRST_THREADS" "$END_THREADS" "$END_JVM_THREADS"
  printf '| after the load: in flight / active upstream / open upstream sockets | %s / %s / %s |\n' "$END_INFLIGHT" "$END_ACTIVE" "$END_UPSTREAM"
  printf '| calls the stand-in answered | %s |\n' "$(awk '$1 ~ /^invoked_/ { n += $2 } END { print n + 0 }' <<<"$STANDIN_STATS")"
  printf '| result | %s |\n' "$([ "${#failures[@]}" -eq 0 ] && echo PASS || echo FAIL)"
} | tee "$OUT_DIR/summary.md"
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'soak: FAIL: %s\n' "${failures[@]}" >&2
  printf 'soak: logs in %s\n' "$OUT_DIR" >&2
  exit 1
fi
[ "$KEEP" = 1 ] || rm -rf "$OUT_DIR/conf"
printf 'soak: PASS; logs in %s\n' "$OUT_DIR"
