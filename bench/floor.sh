#!/usr/bin/env bash
# Compares lambda-proxy with nginx and with Jetty alone (tools/JettyFloor.java), one at a time,
# each in front of the same nginx stand-in: the quick tool behind bench/RESULTS.md's "What bounds
# throughput". `bench/floor.sh --help` for the flags.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: bench/floor.sh [--jar PATH] [--warm SECONDS] [--duration SECONDS] [--strace] [--threads] WHO...

Each WHO is started alone, warmed with wrk at 16 connections, then measured for --duration
seconds at 16 connections: requests/s, p99, CPU per request (user and system, from /proc).
  nginx           nginx as a plain reverse proxy (bench/conf/plain-proxy.nginx.conf)
  lambda-proxy    the jar, as bench/run.sh starts it
  hello           Jetty core Handler answering the body itself (one HTTP leg)
  core-proxy      Jetty core Handler + HttpClient (two legs, no servlet)
  core-proxy-nb   the same with handler and client transport NON_BLOCKING (no pool hand-off)
  proxy-servlet   Jetty's stock ee10 ProxyServlet (two legs, what lambda-proxy builds on)
  netty-proxy     Netty 4.2 alone (tools/NettyFloor.java): both legs on one event loop, upstream
                  connections pooled per loop (the event-loop engine's floor)

  --jar PATH        the executable jar (default server/target/lambda-proxy.jar); Jetty comes from it too
  --warm S          warm-up seconds (default 40)
  --duration S      measured seconds (default 10)
  --strace          also count system calls per request (strace -c -f for 5 s during the run)
  --threads         also split the JVM's CPU by thread name and count context switches

Environment: LP_JAVA_OPTS (JVM flags, default "-Xms64m -Xmx192m -XX:+UseSerialGC"),
FLOOR_OPTS (extra JVM flags for the Jetty floors, e.g. -Dfloor.reserved=-1).
EOF
}

BENCH_JAR="$REPO_DIR/server/target/lambda-proxy.jar"
WARM=40
DURATION=10
STRACE=0
THREADS=0
WHO=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || bench_die "--jar needs a path"; BENCH_JAR="$2"; shift ;;
    --warm) [ $# -ge 2 ] || bench_die "--warm needs seconds"; WARM="$2"; shift ;;
    --duration) [ $# -ge 2 ] || bench_die "--duration needs seconds"; DURATION="$2"; shift ;;
    --strace) STRACE=1 ;;
    --threads) THREADS=1 ;;
    --help|-h) usage; exit 0 ;;
    nginx|lambda-proxy|hello|core-proxy|core-proxy-nb|proxy-servlet|netty-proxy) WHO+=("$1") ;;
    *) bench_die "unknown argument '$1'; see --help" ;;
  esac
  shift
done
[ "${#WHO[@]}" -gt 0 ] || bench_die "name at least one of nginx lambda-proxy hello core-proxy core-proxy-nb proxy-servlet netty-proxy; see --help"
case "$WARM$DURATION" in *[!0-9]*) bench_die "--warm and --duration take whole seconds" ;; esac
case "$BENCH_JAR" in /*) ;; *) BENCH_JAR="$PWD/$BENCH_JAR" ;; esac
[ -f "$BENCH_JAR" ] || bench_die "no jar at $BENCH_JAR; build it (mvn -B -DskipTests package) or pass --jar"
LP_JAVA_OPTS="${LP_JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC}"
# shellcheck disable=SC2034 # read by bench_start_lambda_proxy
LP_ARGS=(--admin-port off --access-log false)
bench_require nginx:nginx-light wrk:wrk curl:curl
[ "$STRACE" = 0 ] || bench_require strace:strace

BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/lambda-proxy-floor.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

STANDIN_PORT=$(bench_free_port)
bench_nginx_conf "$BENCH_DIR/conf/standin.nginx.conf" "$BENCH_WORK/standin" WORKERS=1 PORT="$STANDIN_PORT"
bench_start_nginx "$BENCH_WORK/standin"
INVOKE_URL="http://127.0.0.1:$STANDIN_PORT/2015-03-31/functions/hello/invocations"
bench_wait_200 "$NGINX_PID" 10 POST "$INVOKE_URL" '{}' || bench_die "the nginx stand-in did not answer"

CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
printf '| who | requests/s | p99 ms | CPU µs per request: user | system | errors / non-2xx |\n|---|---:|---:|---:|---:|---|\n'
for who in "${WHO[@]}"; do
  port=$(bench_free_port)
  log="$BENCH_WORK/$who.log"
  case "$who" in
    nginx)
      bench_nginx_conf "$BENCH_DIR/conf/plain-proxy.nginx.conf" "$BENCH_WORK/plain-$port" WORKERS=auto PORT="$port" \
        H2C_PORT="$(bench_free_port)" UPSTREAM_PORT="$STANDIN_PORT"
      bench_start_nginx "$BENCH_WORK/plain-$port"
      pid=$NGINX_PID ;;
    lambda-proxy)
      bench_lambda_proxy_conf "$BENCH_WORK/lp-conf" "$STANDIN_PORT"
      bench_start_lambda_proxy "$BENCH_WORK/lp-conf" "$port" "$log"
      pid=$LP_PID ;;
    *)
      bench_start_floor "$who" "$port" "$INVOKE_URL" "$log"
      pid=$FLOOR_PID ;;
  esac
  url="http://127.0.0.1:$port/hello"
  if ! bench_wait_200 "$pid" 60 GET "$url"; then
    printf '| %s | did not answer 200: %s | | | | |\n' "$who" "$(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ')"
    bench_stop "$pid"
    continue
  fi
  bench_wrk "$BENCH_WORK/$who-warm.wrk" -t2 -c16 -d"${WARM}s" "$url"
  u0=$(bench_cpu_ticks "$pid" user) s0=$(bench_cpu_ticks "$pid" system)
  c0=$(bench_ctx_switches "$pid")
  bench_thread_ticks "$pid" >"$BENCH_WORK/$who-threads-0"
  if [ "$STRACE" = 1 ] && [ "$who" != nginx ]; then
    (sleep 2; timeout 5 strace -c -f -p "$pid" -o "$BENCH_WORK/$who.strace" 2>/dev/null || true) &
    strace_pid=$!
  fi
  bench_wrk "$BENCH_WORK/$who.wrk" -t2 -c16 -d"${DURATION}s" --latency "$url"
  u1=$(bench_cpu_ticks "$pid" user) s1=$(bench_cpu_ticks "$pid" system)
  c1=$(bench_ctx_switches "$pid")
  bench_thread_ticks "$pid" >"$BENCH_WORK/$who-threads-1"
  read -r rps _ p99 _ err bad n <<<"$(bench_parse_wrk "$BENCH_WORK/$who.wrk")"
  printf '| %s | %s | %s | %s | %s | %s / %s |\n' "$who" "$rps" "$p99" \
    "$(bench_cpu_per_request $((u1 - u0)) "$n")" "$(bench_cpu_per_request $((s1 - s0)) "$n")" "$err" "$bad"
  if [ "$THREADS" = 1 ] && [ "$who" != nginx ]; then
    awk -v n="$n" -v hz="$CLK_TCK" 'NR == FNR { a[FNR] = $2; next } { d = $2 - a[FNR]; if (d > 0) cpu[$1] += d }
      END { for (k in cpu) printf "    thread %-24s %6.1f µs per request\n", k, cpu[k] / hz * 1e6 / n }' \
      "$BENCH_WORK/$who-threads-0" "$BENCH_WORK/$who-threads-1" | sort -k3 -rn
    awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN { printf "    context switches per request: %.2f\n", (b - a) / n }'
  fi
  if [ "$STRACE" = 1 ] && [ "$who" != nginx ]; then
    wait "$strace_pid" 2>/dev/null || true
    # requests during the 5 traced seconds, from the socket writes (Jetty writes with writev):
    # one to the upstream and one to the client, or one only for the one-leg floor
    writes_per_request=2
    case "$who" in hello) writes_per_request=1 ;; esac
    awk -v w="$writes_per_request" '$NF == "writev" { writes += $4 }
      $1 ~ /^[0-9.]+$/ && NF >= 5 { calls[$NF] = $4 }
      END { if (writes == 0) { print "    strace: no writes seen"; exit }
            r = writes / w; printf "    system calls per request (strace, %d requests):", r
            for (k in calls) if (calls[k] / r >= 0.05) printf " %s %.2f", k, calls[k] / r; print "" }' \
      "$BENCH_WORK/$who.strace" 2>/dev/null || true
  fi
  bench_stop "$pid"
done
