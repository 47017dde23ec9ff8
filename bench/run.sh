#!/usr/bin/env bash
# shellcheck disable=SC2016 # backquotes in single-quoted printf formats are Markdown
# Benchmarks lambda-proxy against nginx as a plain reverse proxy, both in front of an nginx
# Lambda stand-in, all on 127.0.0.1. See bench/README.md; `bench/run.sh --help` for the flags.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: bench/run.sh [--smoke] [--jar PATH] [--args FLAGS] [--duration SECONDS] [--get-only]
                    [--no-jmh] [--no-profile] [--no-floor] [--out DIR] [--keep] [--verbose]

Full run (about 8 minutes): GET /hello through nginx (plain proxy) and lambda-proxy with wrk at
16 and 64 connections, h2c with h2load, the Java floor (Jetty alone doing the same proxying),
POST of 1 MiB and 6 MiB bodies, start to first 200, a JFR profile and the JMH signer benchmark;
prints a Markdown table.
--smoke: stand-in + lambda-proxy, wrk for 5 s at 16 connections; fails on errors, non-2xx or no
answer (about 10 s; builds nothing).

  --jar PATH        the executable jar (default $LAMBDA_PROXY_JAR, else server/target/lambda-proxy.jar
                    in the repository)
  --args FLAGS      more proxy flags, after the usual ones, split on blanks
                    (e.g. --args "--engine servlet")
  --duration S      seconds per measured wrk run (default $BENCH_DURATION, else 12)
  --get-only        only GET /hello at 16 and 64 connections beside nginx (with the warm-up's
                    first 5 s against steady state); implies --no-jmh --no-profile --no-floor
                    and skips h2c, the cache, the bodies and the starts (about 2 minutes)
  --no-jmh          skip the JMH signer benchmark (it needs Maven and the network once)
  --no-profile      skip the JFR profile
  --no-floor        skip the Java floors (tools/NettyFloor.java, tools/JettyFloor.java: Netty or Jetty
                    without lambda-proxy)
  --out DIR         where logs, the profile and results.md go (default bench/target/run-STAMP)
  --keep            keep the temp folder (confs, nginx logs)
  --verbose         say what runs, on stderr

Environment: LP_JAVA_OPTS (JVM flags of lambda-proxy, default the recommended
"-Xms64m -Xmx192m -XX:+UseSerialGC"), LAMBDA_PROXY_JAR, BENCH_DURATION.
Installs nginx-light, wrk, nghttp2-client (h2load) and curl with apt-get when missing.
EOF
}

MODE=full
BENCH_JAR="${LAMBDA_PROXY_JAR:-}"
DURATION="${BENCH_DURATION:-12}"
RUN_JMH=1
RUN_PROFILE=1
RUN_FLOOR=1
GET_ONLY=0
EXTRA_ARGS=""
OUT_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --jar) [ $# -ge 2 ] || bench_die "--jar needs a path"; BENCH_JAR="$2"; shift ;;
    --jar=*) BENCH_JAR="${1#*=}" ;;
    --duration) [ $# -ge 2 ] || bench_die "--duration needs seconds"; DURATION="$2"; shift ;;
    --duration=*) DURATION="${1#*=}" ;;
    --args) [ $# -ge 2 ] || bench_die "--args needs flags"; EXTRA_ARGS="$2"; shift ;;
    --args=*) EXTRA_ARGS="${1#*=}" ;;
    --get-only) GET_ONLY=1; RUN_JMH=0; RUN_PROFILE=0; RUN_FLOOR=0 ;;
    --no-jmh) RUN_JMH=0 ;;
    --no-profile) RUN_PROFILE=0 ;;
    --no-floor) RUN_FLOOR=0 ;;
    --out) [ $# -ge 2 ] || bench_die "--out needs a folder"; OUT_DIR="$2"; shift ;;
    --out=*) OUT_DIR="${1#*=}" ;;
    --keep) BENCH_KEEP=1 ;;
    --verbose|-v) BENCH_VERBOSE=1 ;;
    --help|-h) usage; exit 0 ;;
    *) bench_die "unknown option '$1'; see --help" ;;
  esac
  shift
done
case "$DURATION" in '' | *[!0-9]*) bench_die "--duration: '$DURATION' is not a whole number of seconds" ;; esac

BENCH_JAR="${BENCH_JAR:-$REPO_DIR/server/target/lambda-proxy.jar}"
case "$BENCH_JAR" in /*) ;; *) BENCH_JAR="$PWD/$BENCH_JAR" ;; esac
[ -f "$BENCH_JAR" ] || bench_die "no jar at $BENCH_JAR; build it (mvn -B -DskipTests package) or pass --jar"
# The recommended flags (see bench/RESULTS.md for the GC comparison behind them).
LP_JAVA_OPTS="${LP_JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC}"
command -v java >/dev/null 2>&1 || bench_die "java is not on the PATH"
bench_lambda_proxy_args "$BENCH_JAR"
read -r -a extra_args <<<"$EXTRA_ARGS"
LP_ARGS+=(${extra_args[@]+"${extra_args[@]}"})

if [ "$MODE" = smoke ] || [ "$GET_ONLY" = 1 ]; then
  bench_require nginx:nginx-light wrk:wrk curl:curl
else
  bench_require nginx:nginx-light wrk:wrk h2load:nghttp2-client curl:curl
fi

BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/lambda-proxy-bench.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

STANDIN_PORT=$(bench_free_port)
bench_nginx_conf "$BENCH_DIR/conf/standin.nginx.conf" "$BENCH_WORK/standin" WORKERS=1 PORT="$STANDIN_PORT"
bench_start_nginx "$BENCH_WORK/standin"
STANDIN_PID=$NGINX_PID
INVOKE_URL="http://127.0.0.1:$STANDIN_PORT/2015-03-31/functions/hello/invocations"
bench_wait_200 "$STANDIN_PID" 10 POST "$INVOKE_URL" '{}' \
  || bench_die "the nginx stand-in did not answer on $STANDIN_PORT: $(cat "$BENCH_WORK/standin/error.log" 2>/dev/null)"

bench_lambda_proxy_conf "$BENCH_WORK/lp-conf" "$STANDIN_PORT"
EXPECTED_BODY='"Hello, bench!"'

# Starts lambda-proxy on a fresh port and waits for its first 200; sets LP_PID, LP_URL.
start_lambda_proxy() {
  local log="$1" port
  shift
  port=$(bench_free_port)
  bench_start_lambda_proxy "$BENCH_WORK/lp-conf" "$port" "$log" "$@"
  LP_URL="http://127.0.0.1:$port/hello"
  bench_wait_200 "$LP_PID" 30 GET "$LP_URL" \
    || bench_die "lambda-proxy did not answer 200 on $LP_URL (got $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$LP_URL")): $(tail -n 5 "$log")"
  local body
  body=$(curl -s --max-time 5 "$LP_URL")
  [ "$body" = "$EXPECTED_BODY" ] || bench_die "lambda-proxy answered '$body', expected '$EXPECTED_BODY'"
}

if [ "$MODE" = smoke ]; then
  start_lambda_proxy "$BENCH_WORK/lambda-proxy.log"
  bench_wrk "$BENCH_WORK/smoke.wrk" -t2 -c16 -d5s --latency "$LP_URL"
  read -r rps _ p99 _ errors non2xx requests <<<"$(bench_parse_wrk "$BENCH_WORK/smoke.wrk")"
  problem=""
  if [ "$rps" = - ] || [ "$requests" -eq 0 ]; then
    problem="wrk got no answer: $(tr '\n' ' ' <"$BENCH_WORK/smoke.wrk")"
  elif [ "$errors" -ne 0 ] || [ "$non2xx" -ne 0 ]; then
    problem="$errors socket errors, $non2xx non-2xx responses"
  elif ! bench_alive "$LP_PID"; then
    problem="lambda-proxy died: $(tail -n 5 "$BENCH_WORK/lambda-proxy.log")"
  elif [ "$(curl -s --max-time 5 "$LP_URL")" != "$EXPECTED_BODY" ]; then
    problem="lambda-proxy stopped answering '$EXPECTED_BODY' after the run"
  fi
  if [ -n "$problem" ]; then
    printf 'bench smoke: FAIL: %s\n' "$problem" >&2
    exit 1
  fi
  printf 'bench smoke: ok: %s requests in 5 s (%s req/s, p99 %s ms), 0 errors, 0 non-2xx\n' \
    "$requests" "$rps" "$p99"
  exit 0
fi

OUT_DIR="${OUT_DIR:-$BENCH_DIR/target/run-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
BENCH_JCMD_LOG="$OUT_DIR/jcmd.log"

PLAIN_PORT=$(bench_free_port)
PLAIN_H2C_PORT=$(bench_free_port)
bench_nginx_conf "$BENCH_DIR/conf/plain-proxy.nginx.conf" "$BENCH_WORK/plain" WORKERS=auto \
  PORT="$PLAIN_PORT" H2C_PORT="$PLAIN_H2C_PORT" UPSTREAM_PORT="$STANDIN_PORT"
bench_start_nginx "$BENCH_WORK/plain"
PLAIN_PID=$NGINX_PID
PLAIN_URL="http://127.0.0.1:$PLAIN_PORT/hello"
bench_wait_200 "$PLAIN_PID" 10 GET "$PLAIN_URL" \
  || bench_die "nginx (plain proxy) did not answer on $PLAIN_PORT: $(cat "$BENCH_WORK/plain/error.log" 2>/dev/null)"

bench_note "GET /hello: warm-up"
# jcmd attaches over a socket the JVM opens at start: a background job of a script starts with
# SIGQUIT ignored, so the JVM could not be woken to open it later.
# nginx first, so that the JVM's first warm-up round begins right after its first 200: the
# requests/s of its first 5 s under load.
bench_wrk "$OUT_DIR/warmup-nginx.wrk" -t2 -c64 -d3s "$PLAIN_URL"
start_lambda_proxy "$OUT_DIR/lambda-proxy-get.log" -XX:+StartAttachListener
bench_warm_until_steady "$OUT_DIR/warmup-lambda-proxy" 16 "$LP_URL"
LP_WARM="$WARM_ROUNDS × 5 s ($WARM_RPS req/s)"
LP_WARM_FIRST=${WARM_RPS%% *}

declare -A R
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
for conns in 16 64; do
  for who in nginx lambda-proxy; do
    if [ "$who" = nginx ]; then pid=$PLAIN_PID url=$PLAIN_URL; else pid=$LP_PID url=$LP_URL; fi
    bench_note "GET /hello: $who, $conns connections, ${DURATION}s"
    bench_rss_start "$pid" "$BENCH_WORK/rss"
    ticks=$(bench_cpu_ticks "$pid")
    standin_ticks=$(bench_cpu_ticks "$STANDIN_PID")
    busy=$(bench_machine_busy_ticks)
    bench_children_ticks
    children=$CHILD_TICKS
    started=$(bench_now_ms)
    bench_wrk "$OUT_DIR/get-$who-c$conns.wrk" -t2 -c"$conns" -d"${DURATION}s" --latency "$url"
    elapsed=$(( $(bench_now_ms) - started ))
    ticks=$(( $(bench_cpu_ticks "$pid") - ticks ))
    standin_ticks=$(( $(bench_cpu_ticks "$STANDIN_PID") - standin_ticks ))
    busy=$(( $(bench_machine_busy_ticks) - busy ))
    bench_rss_stop "$pid" "$BENCH_WORK/rss"
    # After the sampler is reaped, so that its own CPU counts as this benchmark's.
    bench_children_ticks
    children=$(( CHILD_TICKS - children ))
    # What processes outside this benchmark took of the machine meanwhile: the noise indicator.
    other=$(bench_other_percent "$busy" "$ticks" "$standin_ticks" "$children" "$elapsed")
    wrk_figures=$(bench_parse_wrk "$OUT_DIR/get-$who-c$conns.wrk")
    # CPU ms per 1000 requests: the proxy's own cost, which other load on the machine skews less.
    cpu=$(bench_cpu_per_request "$ticks" "${wrk_figures##* }")
    R[$who,$conns]="$wrk_figures $RSS_PEAK_MB $cpu $other"
    bench_alive "$pid" || bench_die "$who died during the $conns-connection run"
  done
done

bench_note "h2c: h2load"
H2C_NGINX="n/a"
H2C_LP="n/a"
if [ "$GET_ONLY" = 1 ]; then
  :
elif bench_offers_h2c "http://127.0.0.1:$PLAIN_H2C_PORT/hello"; then
  timeout --foreground -k 5 $((DURATION + 30)) h2load -c16 -t2 -m1 -D "$DURATION" --warm-up-time=2 \
    "http://127.0.0.1:$PLAIN_H2C_PORT/hello" >"$OUT_DIR/h2c-nginx.h2load" 2>&1 || true
  H2C_NGINX=$(bench_parse_h2load "$OUT_DIR/h2c-nginx.h2load")
fi
if [ "$GET_ONLY" = 0 ] && bench_offers_h2c "$LP_URL"; then
  # h2c is other server code than HTTP/1.1: 10 s for the JIT, as nginx needs none
  timeout --foreground -k 5 $((DURATION + 40)) h2load -c16 -t2 -m1 -D "$DURATION" --warm-up-time=10 \
    "$LP_URL" >"$OUT_DIR/h2c-lambda-proxy.h2load" 2>&1 || true
  H2C_LP=$(bench_parse_h2load "$OUT_DIR/h2c-lambda-proxy.h2load")
fi

CACHED_FIGURES=""
if [ "$GET_ONLY" = 0 ]; then
  bench_note "cache: 16 connections on a cached route (every request after the first is a HIT)"
  CACHED_URL="${LP_URL%/hello}/cached"
  # The HIT path is other code than /hello's: it is warmed until steady too (a 3-s warm-up measured
  # it at half speed, 10,720 against 20,941 requests/s in the run before).
  bench_warm_until_steady "$OUT_DIR/warmup-cached" 16 "$CACHED_URL" 12
  bench_wrk "$OUT_DIR/get-cached-c16.wrk" -t2 -c16 -d"${DURATION}s" --latency "$CACHED_URL"
  CACHED_FIGURES=$(bench_parse_wrk "$OUT_DIR/get-cached-c16.wrk")
fi

# The Java floor: Netty 4.2 and Jetty 12 from the same jar doing the same proxying with none of
# lambda-proxy's code (tools/NettyFloor.java, tools/JettyFloor.java), warmed and measured as lambda-proxy was. What lambda-proxy costs
# beyond these rows is its own; what these cost beyond nginx is Jetty's.
declare -A F
FLOOR_MODES="netty-proxy hello core-proxy proxy-servlet"
if [ "$RUN_FLOOR" = 1 ]; then
  for mode in $FLOOR_MODES; do
    bench_note "Java floor: $mode"
    port=$(bench_free_port)
    bench_start_floor "$mode" "$port" "$INVOKE_URL" "$OUT_DIR/floor-$mode.log"
    floor_url="http://127.0.0.1:$port/hello"
    if ! bench_wait_200 "$FLOOR_PID" 60 GET "$floor_url"; then
      F[$mode]="failed"
      bench_stop "$FLOOR_PID"
      continue
    fi
    bench_warm_until_steady "$OUT_DIR/warmup-floor-$mode" 16 "$floor_url" 12
    ticks=$(bench_cpu_ticks "$FLOOR_PID")
    bench_wrk "$OUT_DIR/floor-$mode-c16.wrk" -t2 -c16 -d"${DURATION}s" --latency "$floor_url"
    ticks=$(( $(bench_cpu_ticks "$FLOOR_PID") - ticks ))
    wrk_figures=$(bench_parse_wrk "$OUT_DIR/floor-$mode-c16.wrk")
    cpu=$(bench_cpu_per_request "$ticks" "${wrk_figures##* }")
    F[$mode]="$wrk_figures $cpu $WARM_ROUNDS"
    bench_stop "$FLOOR_PID"
  done
fi

PROFILE_NOTE="not run (--no-profile)"
if [ "$RUN_PROFILE" = 1 ]; then
  bench_note "JFR profile: 16 connections, ${DURATION}s"
  PROFILE_NOTE="failed; see $OUT_DIR/jcmd.log and $OUT_DIR/jfr.log"
  # JDK's "profile" settings, sampling 5 times as often: a 2-core run leaves few samples otherwise.
  jfc=profile
  java_home=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '$1 ~ /^ *java.home$/ { print $2 }')
  if [ -f "$java_home/lib/jfr/profile.jfc" ]; then
    sed -e '/"jdk.ExecutionSample"/,/<\/event>/ s|>10 ms<|>2 ms<|' \
      -e '/"jdk.ObjectAllocationSample"/,/<\/event>/ s|>300/s<|>1000/s<|' \
      "$java_home/lib/jfr/profile.jfc" >"$BENCH_WORK/bench.jfc"
    jfc="$BENCH_WORK/bench.jfc"
  fi
  if bench_jcmd "$LP_PID" JFR.start name=bench settings="$jfc" filename="$OUT_DIR/profile.jfr"; then
    bench_wrk "$OUT_DIR/profile-lambda-proxy-c16.wrk" -t2 -c16 -d"${DURATION}s" --latency "$LP_URL"
    if bench_jcmd "$LP_PID" JFR.stop name=bench \
        && timeout --foreground 120 java "$BENCH_DIR/tools/JfrTop.java" "$OUT_DIR/profile.jfr" 15 \
          >"$OUT_DIR/profile.txt" 2>>"$OUT_DIR/jfr.log"; then
      PROFILE_NOTE="$OUT_DIR/profile.txt (recording: $OUT_DIR/profile.jfr)"
    fi
  fi
fi
bench_stop "$LP_PID"
bench_stop "$PLAIN_PID"

# --get-only stops here: the bodies and the starts need fresh JVMs of their own.
COLD_SORTED=""
CDS_SORTED=""
if [ "$GET_ONLY" = 0 ]; then
  bench_note "POST bodies: 1 MiB and 6 MiB"
  MIB=1048576
  bench_json_body "$BENCH_WORK/body-1m.json" $((1 * MIB))
  bench_json_body "$BENCH_WORK/body-6m.json" $((6 * MIB))
  GC_LOG="$OUT_DIR/gc-body.log"
  start_lambda_proxy "$OUT_DIR/lambda-proxy-body.log" -XX:+StartAttachListener "-Xlog:gc:file=$GC_LOG"
  BODY_PID=$LP_PID
  BENCH_BODY_FILE="$BENCH_WORK/body-1m.json" bench_wrk "$OUT_DIR/warmup-body.wrk" \
    -t2 -c4 -d5s -s "$BENCH_DIR/lua/post-body.lua" "$LP_URL"
  declare -A B
  BODY_SECONDS=$(( DURATION < 8 ? DURATION : 8 ))
  for size in 1 6; do
    for conns in 1 4; do
      threads=$(( conns < 2 ? conns : 2 ))
      bench_note "POST ${size} MiB: $conns connections, ${BODY_SECONDS}s"
      mark=$(wc -l <"$GC_LOG")
      bench_jcmd "$BODY_PID" GC.run || true
      bench_rss_start "$BODY_PID" "$BENCH_WORK/rss"
      BENCH_BODY_FILE="$BENCH_WORK/body-${size}m.json" bench_wrk "$OUT_DIR/post-${size}m-c$conns.wrk" \
        -t"$threads" -c"$conns" -d"${BODY_SECONDS}s" --latency -s "$BENCH_DIR/lua/post-body.lua" "$LP_URL"
      bench_rss_stop "$BODY_PID" "$BENCH_WORK/rss"
      B[$size,$conns]="$(bench_parse_wrk "$OUT_DIR/post-${size}m-c$conns.wrk") $(bench_parse_gc_log "$GC_LOG" "$mark") $RSS_PEAK_MB"
      bench_alive "$BODY_PID" || bench_die "lambda-proxy died during the ${size} MiB run"
    done
  done
  bench_stop "$BODY_PID"

  # Five starts from `java -jar` to the first 200 seen by a curl loop; sets STARTS_SORTED (wall ms)
  # and STARTS_CPU_SORTED (the JVM's CPU ms until then: what the wall time would be on an idle core,
  # near enough). starts LOG_PREFIX [JVM flag...]
  starts() {
    local prefix="$1" run port t0 walls=() cpus=()
    shift
    for run in 1 2 3 4 5; do
      port=$(bench_free_port)
      t0=$(bench_now_ms)
      bench_start_lambda_proxy "$BENCH_WORK/lp-conf" "$port" "$prefix-$run.log" "$@"
      bench_wait_200 "$LP_PID" 60 GET "http://127.0.0.1:$port/hello" \
        || bench_die "lambda-proxy did not answer during start $run ($*): $(tail -n 5 "$prefix-$run.log")"
      walls+=($(( $(bench_now_ms) - t0 )))
      cpus+=($(( $(bench_cpu_ticks "$LP_PID") * 1000 / CLK_TCK )))
      bench_stop "$LP_PID"
    done
    STARTS_SORTED=$(printf '%s\n' "${walls[@]}" | sort -n | tr '\n' ' ')
    STARTS_CPU_SORTED=$(printf '%s\n' "${cpus[@]}" | sort -n | tr '\n' ' ')
  }

  bench_note "start to first 200: 5 runs"
  starts "$OUT_DIR/lambda-proxy-cold"
  COLD_SORTED=$STARTS_SORTED
  COLD_CPU_SORTED=$STARTS_CPU_SORTED

  # The same with the class-data archive the README recommends for a fast start: one training run
  # (-XX:ArchiveClassesAtExit, one request, SIGTERM: the proxy exits 0 and the JVM writes the
  # archive), then five starts with -XX:SharedArchiveFile.
  bench_note "start to first 200 with an AppCDS archive: training run, then 5 runs"
  CDS_ARCHIVE="$BENCH_WORK/lambda-proxy.jsa"
  CDS_SORTED=""
  port=$(bench_free_port)
  bench_start_lambda_proxy "$BENCH_WORK/lp-conf" "$port" "$OUT_DIR/lambda-proxy-cds-training.log" "-XX:ArchiveClassesAtExit=$CDS_ARCHIVE"
  if bench_wait_200 "$LP_PID" 60 GET "http://127.0.0.1:$port/hello"; then
    kill -TERM "$LP_PID" 2>/dev/null || true
    bench_stop_within "$LP_PID" 30
  fi
  bench_stop "$LP_PID"
  if [ -s "$CDS_ARCHIVE" ]; then
    starts "$OUT_DIR/lambda-proxy-cds" "-XX:SharedArchiveFile=$CDS_ARCHIVE"
    CDS_SORTED=$STARTS_SORTED
  fi
fi

JMH_NOTE="not run (--no-jmh)"
JMH_ROWS=""
if [ "$RUN_JMH" = 1 ]; then
  bench_note "JMH: building bench/jmh and running SignerBenchmark"
  JMH_NOTE="failed; see $OUT_DIR/jmh-build.log and $OUT_DIR/jmh.log"
  JMH_DIR="$BENCH_DIR/jmh"
  if command -v mvn >/dev/null 2>&1 \
      && timeout --foreground 600 mvn -q -B -Dstyle.color=never -f "$JMH_DIR/pom.xml" -Dlambda-proxy.jar="$BENCH_JAR" \
        package dependency:build-classpath -Dmdep.outputFile="$JMH_DIR/target/classpath.txt" \
        >"$OUT_DIR/jmh-build.log" 2>&1 \
      && timeout --foreground 900 java -cp "$JMH_DIR/target/classes:$BENCH_JAR:$(cat "$JMH_DIR/target/classpath.txt")" \
        org.openjdk.jmh.Main 'dev.lambdaproxy.bench.SignerBenchmark' -prof gc \
        -rf csv -rff "$OUT_DIR/jmh.csv" >"$OUT_DIR/jmh.log" 2>&1; then
    JMH_NOTE="$OUT_DIR/jmh.log"
    # name ns/op B/op, one line per benchmark
    JMH_ROWS=$(awk -F, '
      { gsub(/"/, "") }
      $1 ~ /SignerBenchmark\.[A-Za-z]+$/ { n = $1; sub(/.*\./, "", n); ns[n] = $5; err[n] = $6; order[++k] = n }
      $1 ~ /:gc\.alloc\.rate\.norm$/ { n = $1; sub(/:.*/, "", n); sub(/.*\./, "", n); b[n] = $5 }
      END { for (i = 1; i <= k; i++) printf "%s %.0f %.0f %.0f\n", order[i], ns[order[i]], b[order[i]], err[order[i]] }
    ' "$OUT_DIR/jmh.csv")
  fi
fi

# ---- the table ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
  if (v == "-" || v == "") { print "n/a"; exit }
  ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "met" : "**missed**" }'; }

{
  printf '## lambda-proxy benchmark, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- machine: %s cores, load average %s before the run; everything on 127.0.0.1\n' "$(nproc)" "$LOAD_BEFORE"
  printf -- '- jar: `%s`; JVM flags: `%s`; arguments: `%s`; %s\n' "$BENCH_JAR" "$LP_JAVA_OPTS" \
    "${LP_ARGS[*]+${LP_ARGS[*]} }--host 127.0.0.1 --port N --conf DIR" "$(java -version 2>&1 | head -n 1)"
  printf -- '- nginx %s: stand-in `worker_processes 1`, plain proxy `worker_processes auto`\n' \
    "$(nginx -v 2>&1 | sed 's|.*nginx/||')"
  printf -- '- wrk -t2, %s s a run; warm-up: nginx 3 s, lambda-proxy 5-s rounds at 16 connections until three agree within 5 %% (at least 6): %s\n\n' "$DURATION" "$LP_WARM"

  printf '| GET /hello | nginx plain proxy | lambda-proxy | lambda-proxy / nginx | target | verdict |\n'
  printf '|---|---:|---:|---:|---|---|\n'
  for conns in 16 64; do
    read -r n_rps n_p50 n_p99 n_max n_err n_bad _ n_rss n_cpu n_other <<<"${R[nginx,$conns]}"
    read -r l_rps l_p50 l_p99 l_max l_err l_bad _ l_rss l_cpu l_other <<<"${R[lambda-proxy,$conns]}"
    rps_ratio=$(ratio "$l_rps" "$n_rps")
    p99_ratio=$(ratio "$l_p99" "$n_p99")
    if [ "$conns" = 16 ]; then
      printf '| %s conns: requests/s | %s | %s | %s | ≥ 0.8 | %s |\n' "$conns" "$n_rps" "$l_rps" "$rps_ratio" "$(verdict "$rps_ratio" ">=" 0.8)"
    else
      printf '| %s conns: requests/s | %s | %s | %s | | |\n' "$conns" "$n_rps" "$l_rps" "$rps_ratio"
    fi
    printf '| %s conns: p50 ms | %s | %s | %s | | |\n' "$conns" "$n_p50" "$l_p50" "$(ratio "$l_p50" "$n_p50")"
    if [ "$conns" = 16 ]; then
      printf '| %s conns: p99 ms | %s | %s | %s | ≤ 2 | %s |\n' "$conns" "$n_p99" "$l_p99" "$p99_ratio" "$(verdict "$p99_ratio" "<=" 2)"
    else
      printf '| %s conns: p99 ms | %s | %s | %s | | |\n' "$conns" "$n_p99" "$l_p99" "$p99_ratio"
    fi
    printf '| %s conns: max ms | %s | %s | %s | | |\n' "$conns" "$n_max" "$l_max" "$(ratio "$l_max" "$n_max")"
    printf '| %s conns: CPU ms per 1000 requests | %s | %s | %s | | |\n' "$conns" "$n_cpu" "$l_cpu" "$(ratio "$l_cpu" "$n_cpu")"
    printf '| %s conns: CPU taken by other processes, %% of the machine | %s | %s | | | |\n' "$conns" "$n_other" "$l_other"
    errs_ok=$([ "$l_err" = 0 ] && [ "$l_bad" = 0 ] && echo met || echo '**missed**')
    printf '| %s conns: socket errors / non-2xx | %s / %s | %s / %s | | 0 / 0 | %s |\n' "$conns" "$n_err" "$n_bad" "$l_err" "$l_bad" "$errs_ok"
    if [ "$conns" = 64 ]; then
      printf '| %s conns: peak RSS MB | %s | %s | %s | ≤ 256 | %s |\n' "$conns" "$n_rss" "$l_rss" "$(ratio "$l_rss" "$n_rss")" "$(verdict "$l_rss" "<=" 256)"
    else
      printf '| %s conns: peak RSS MB | %s | %s | %s | | |\n' "$conns" "$n_rss" "$l_rss" "$(ratio "$l_rss" "$n_rss")"
    fi
  done
  # shellcheck disable=SC2086 # splits the figures into $1..$5
  h2c_cell() { if [ "$1" = n/a ]; then echo "n/a"; else set -- $1; echo "$1 req/s, mean $2 ms, max $3 ms, $4 failed, $5 non-2xx"; fi; }
  if [ "$GET_ONLY" = 1 ]; then
    printf '\n'
  else
    printf '| h2c (h2load -c16 -m1), 16 conns | %s | %s | | | |\n\n' "$(h2c_cell "$H2C_NGINX")" "$(h2c_cell "$H2C_LP")"
  fi
  # The first warm-up round starts right after the first 200: what a fresh JVM serves in its first 5 s.
  first_rps=${LP_WARM_FIRST:-}
  steady_rps=$(echo "${R[lambda-proxy,16]}" | awk '{ print $1 }')
  printf '| lambda-proxy right after start | requests/s | / the measured 16-conn run |\n'
  printf '|---|---:|---:|\n'
  printf '| first 5 s under load (wrk -t2 -c16, from the first 200: warm-up round 1) | %s | %s |\n\n' "$first_rps" "$(ratio "$first_rps" "$steady_rps")"
  if [ "$RUN_FLOOR" = 1 ]; then
    n_rps=$(echo "${R[nginx,16]}" | awk '{ print $1 }')
    read -r l_rps _ l_p99 _ _ _ _ _ l_cpu _ <<<"${R[lambda-proxy,16]}"
    printf '| GET /hello, 16 conns: the Java floor | requests/s | / nginx | p99 ms | CPU ms per 1000 requests | warm-up rounds |\n'
    printf '|---|---:|---:|---:|---:|---:|\n'
    for mode in $FLOOR_MODES; do
      case "$mode" in
        netty-proxy) label='Netty 4.2 alone: GET in, POST `{}` on a connection pooled per event loop, both legs on one thread (the event-loop engine'"'"'s floor)' ;;
        hello) label='Jetty core `Handler` answering the body itself (one HTTP leg, no upstream)' ;;
        core-proxy) label='Jetty core `Handler` + Jetty `HttpClient` POSTing `{}` (two legs, no servlet)' ;;
        proxy-servlet) label='Jetty'"'"'s stock ee10 `ProxyServlet` turning GET into that POST (two legs; what lambda-proxy builds on)' ;;
      esac
      if [ "${F[$mode]}" = failed ]; then
        printf '| %s | failed; see floor-%s.log | | | | |\n' "$label" "$mode"
        continue
      fi
      read -r f_rps _ f_p99 _ f_err f_bad _ f_cpu f_rounds <<<"${F[$mode]}"
      printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$f_rps" "$(ratio "$f_rps" "$n_rps")" "$f_p99" "$f_cpu" "$f_rounds"
    done
    printf '| lambda-proxy (above: routing, SigV4, decoding, metrics) | %s | %s | %s | %s | %s |\n\n' \
      "$l_rps" "$(ratio "$l_rps" "$n_rps")" "$l_p99" "$l_cpu" "${LP_WARM%% *}"
  fi
  if [ "$GET_ONLY" = 0 ]; then
    read -r c_rps c_p50 c_p99 c_max c_err c_non2xx _ <<<"$CACHED_FIGURES"
    uncached_rps=$(echo "${R[lambda-proxy,16]}" | awk '{ print $1 }')
    cache_ratio=$(ratio "$c_rps" "$uncached_rps")
    printf '| response cache, 16 conns | requests/s | p50 ms | p99 ms | errors / non-2xx | HIT / uncached | target | verdict |\n'
    printf '|---|---:|---:|---:|---|---:|---|---|\n'
    printf '| GET /cached (HIT) vs GET /hello | %s | %s | %s | %s / %s | %s | ≥ 1.5 | %s |\n\n' \
      "$c_rps" "$c_p50" "$c_p99" "$c_err" "$c_non2xx" "$cache_ratio" "$(verdict "$cache_ratio" ">=" 1.5)"

    printf '| POST JSON body to /hello, lambda-proxy | requests/s | p99 ms | errors / non-2xx | heap after GC, MB: idle → peak | peak growth per in-flight request | × payload | target | verdict | allocated per request | peak RSS MB |\n'
    printf '|---|---:|---:|---|---|---:|---:|---|---|---:|---:|\n'
    for size in 1 6; do
      for conns in 1 4; do
        read -r rps _ p99 _ err bad n base peak _ _ alloc rss <<<"${B[$size,$conns]}"
        growth=$(awk -v b="$base" -v p="$peak" -v c="$conns" 'BEGIN { if (b == "-" || p == "-") print "-"; else printf "%.1f\n", (p - b) / c }')
        times=$(ratio "$growth" "$size")
        per_request=$(awk -v a="$alloc" -v n="$n" -v s="$size" 'BEGIN { if (a == "-" || n + 0 == 0) print "-"; else printf "%.1f MB (%.1f ×)\n", a / n, a / n / s }')
        if [ "$size" = 6 ]; then target="≤ 3 ×"; v=$(verdict "$times" "<=" 3); else target=""; v=""; fi
        printf '| %s MiB, %s conn%s | %s | %s | %s / %s | %s → %s | %s MB | %s | %s | %s | %s | %s |\n' \
          "$size" "$conns" "$([ "$conns" = 1 ] || echo s)" "$rps" "$p99" "$err" "$bad" "$base" "$peak" "$growth" "$times" "$target" "$v" "$per_request" "$rss"
      done
    done
    printf '\n'

    read -r c_min _ c_med _ c_max <<<"$COLD_SORTED"
    read -r u_min _ u_med _ u_max <<<"$COLD_CPU_SORTED"
    printf '| start to first 200 (java -jar to a 200 for a curl loop, 5 runs) | min | median | max | target | verdict |\n'
    printf '|---|---:|---:|---:|---|---|\n'
    printf '| lambda-proxy, wall time | %s ms | %s ms | %s ms | median ≤ 1500 ms | %s |\n' "$c_min" "$c_med" "$c_max" "$(verdict "$c_med" "<=" 1500)"
    printf '| lambda-proxy, CPU time of the JVM until then | %s ms | %s ms | %s ms | | |\n' "$u_min" "$u_med" "$u_max"
    if [ -n "$CDS_SORTED" ]; then
      read -r a_min _ a_med _ a_max <<<"$CDS_SORTED"
      printf '| lambda-proxy with the AppCDS archive of the README, wall time | %s ms | %s ms | %s ms | median ≤ 1500 ms | %s |\n\n' \
        "$a_min" "$a_med" "$a_max" "$(verdict "$a_med" "<=" 1500)"
    else
      printf '| lambda-proxy with the AppCDS archive of the README | the training run wrote no archive; see lambda-proxy-cds-training.log | | | | |\n\n'
    fi
  fi

  printf '| SigV4 signer, JMH -prof gc | ns/op | ± (99.9%%) | B/op (gc.alloc.rate.norm) |\n'
  printf '|---|---:|---:|---:|\n'
  if [ -n "$JMH_ROWS" ]; then
    while read -r name ns bytes err; do
      case "$name" in
        ours) label='ours: `SigV4Signer.sign`, payload hash given (as the proxy calls it)' ;;
        oursHashingPayload) label='ours, hashing the payload as well' ;;
        sdk) label='AWS SDK v2 `AwsV4HttpSigner` (hashes the payload)' ;;
        *) label="$name" ;;
      esac
      printf '| %s | %s | %s | %s |\n' "$label" "$ns" "$err" "$bytes"
    done <<<"$JMH_ROWS"
    read -r _ o_ns o_b _ <<<"$(grep '^oursHashingPayload ' <<<"$JMH_ROWS")"
    read -r _ s_ns s_b _ <<<"$(grep '^sdk ' <<<"$JMH_ROWS")"
    t_ratio=$(ratio "$o_ns" "$s_ns")
    b_ratio=$(ratio "$o_b" "$s_b")
    both=$(awk -v t="$t_ratio" -v b="$b_ratio" 'BEGIN { print (t != "-" && b != "-" && t < 1 && b < 1) ? "met" : "**missed**" }')
    printf '| ours (hashing) / SDK | %s | | %s |\n' "$t_ratio" "$b_ratio"
    printf '\nSigner target (faster and fewer bytes than the SDK): %s\n' "$both"
  else
    printf '| %s | | | |\n' "$JMH_NOTE"
  fi
  printf '\nProfile: %s\nRaw output: %s\n' "$PROFILE_NOTE" "$OUT_DIR"
} | tee "$OUT_DIR/results.md"
