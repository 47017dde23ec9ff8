#!/usr/bin/env bash
# shellcheck disable=SC2016 # backquotes in single-quoted printf formats are Markdown
# Before/after in one run: two lambda-proxy jars side by side in front of the same nginx stand-in,
# each warmed until steady, then measured in alternating rounds (baseline, new, baseline, new, ...)
# so that the machine's noise falls on both alike. `bench/compare.sh --help` for the flags.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: bench/compare.sh --baseline-jar OLD [--jar NEW] [--duration S] [--rounds N]
                        [--warm-rounds N] [--args FLAGS] [--baseline-args FLAGS] [--threads]
                        [--out DIR] [--keep] [--verbose]

Starts both jars at once (free ports, the same conf, the same stand-in), warms each in 5-s rounds
of GET /hello at 16 connections until three rounds in a row agree within 5 % (at least 6), then
runs N measured rounds of each, alternating (wrk -t1 -c16 --latency): requests/s, p50, p99 and
the process's CPU per request (utime + stime from /proc/PID/stat over the round / requests).
Prints a Markdown table of the medians and their ratio new / baseline, and every round.

  --jar PATH           the new jar (default server/target/lambda-proxy.jar in the repository)
  --baseline-jar PATH  the jar to compare it with (required)
  --duration S         seconds per measured round (default 10)
  --rounds N           measured rounds per jar (default 6, at least 4)
  --warm-rounds N      at most this many 5-s warm-up rounds per jar (default 12: 60 s)
  --args FLAGS         more proxy flags for the new jar, after the usual ones, split on blanks
                       (e.g. --args "--engine servlet")
  --baseline-args FLAGS  the same for the baseline jar (the same jar twice with different
                       --args and --baseline-args compares two settings, e.g. two engines)
  --threads            also split each JVM's CPU over the measured rounds by thread name, and
                       count context switches per request
  --out DIR            where the wrk reports, logs and results.md go (default
                       bench/target/compare-STAMP)
  --keep               keep the temp folder (confs, nginx logs)
  --verbose            say what runs, on stderr

Environment: LP_JAVA_OPTS (JVM flags of both, default "-Xms64m -Xmx192m -XX:+UseSerialGC").
Installs nginx-light, wrk and curl with apt-get when missing.
EOF
}

NEW_JAR="$REPO_DIR/server/target/lambda-proxy.jar"
OLD_JAR=""
NEW_EXTRA=""
OLD_EXTRA=""
DURATION=10
ROUNDS=6
WARM_MAX=12
THREADS=0
OUT_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || bench_die "--jar needs a path"; NEW_JAR="$2"; shift ;;
    --jar=*) NEW_JAR="${1#*=}" ;;
    --baseline-jar) [ $# -ge 2 ] || bench_die "--baseline-jar needs a path"; OLD_JAR="$2"; shift ;;
    --baseline-jar=*) OLD_JAR="${1#*=}" ;;
    --duration) [ $# -ge 2 ] || bench_die "--duration needs seconds"; DURATION="$2"; shift ;;
    --duration=*) DURATION="${1#*=}" ;;
    --rounds) [ $# -ge 2 ] || bench_die "--rounds needs a number"; ROUNDS="$2"; shift ;;
    --rounds=*) ROUNDS="${1#*=}" ;;
    --warm-rounds) [ $# -ge 2 ] || bench_die "--warm-rounds needs a number"; WARM_MAX="$2"; shift ;;
    --warm-rounds=*) WARM_MAX="${1#*=}" ;;
    --args) [ $# -ge 2 ] || bench_die "--args needs flags"; NEW_EXTRA="$2"; shift ;;
    --args=*) NEW_EXTRA="${1#*=}" ;;
    --baseline-args) [ $# -ge 2 ] || bench_die "--baseline-args needs flags"; OLD_EXTRA="$2"; shift ;;
    --baseline-args=*) OLD_EXTRA="${1#*=}" ;;
    --threads) THREADS=1 ;;
    --out) [ $# -ge 2 ] || bench_die "--out needs a folder"; OUT_DIR="$2"; shift ;;
    --out=*) OUT_DIR="${1#*=}" ;;
    --keep) BENCH_KEEP=1 ;;
    --verbose|-v) BENCH_VERBOSE=1 ;;
    --help|-h) usage; exit 0 ;;
    *) bench_die "unknown option '$1'; see --help" ;;
  esac
  shift
done
[ -n "$OLD_JAR" ] || bench_die "--baseline-jar is required; see --help"
for n in "$DURATION" "$ROUNDS" "$WARM_MAX"; do
  case "$n" in '' | *[!0-9]*) bench_die "'$n' is not a whole number; see --help" ;; esac
done
[ "$DURATION" -ge 1 ] || bench_die "--duration must be at least 1"
[ "$ROUNDS" -ge 4 ] || bench_die "--rounds must be at least 4 (a median of fewer is noise)"
[ "$ROUNDS" -le 50 ] || bench_die "--rounds must be at most 50"
if [ "$WARM_MAX" -lt 6 ] || [ "$WARM_MAX" -gt 40 ]; then bench_die "--warm-rounds must be 6 to 40"; fi
for v in NEW_JAR OLD_JAR; do
  case "${!v}" in /*) ;; *) printf -v "$v" '%s' "$PWD/${!v}" ;; esac
  [ -f "${!v}" ] || bench_die "no jar at ${!v}"
done
LP_JAVA_OPTS="${LP_JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC}"
command -v java >/dev/null 2>&1 || bench_die "java is not on the PATH"
bench_require nginx:nginx-light wrk:wrk curl:curl

BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/lambda-proxy-compare.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

OUT_DIR="${OUT_DIR:-$BENCH_DIR/target/compare-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

STANDIN_PORT=$(bench_free_port)
bench_nginx_conf "$BENCH_DIR/conf/standin.nginx.conf" "$BENCH_WORK/standin" WORKERS=1 PORT="$STANDIN_PORT"
bench_start_nginx "$BENCH_WORK/standin"
STANDIN_PID=$NGINX_PID
INVOKE_URL="http://127.0.0.1:$STANDIN_PORT/2015-03-31/functions/hello/invocations"
bench_wait_200 "$STANDIN_PID" 10 POST "$INVOKE_URL" '{}' \
  || bench_die "the nginx stand-in did not answer on $STANDIN_PORT: $(cat "$BENCH_WORK/standin/error.log" 2>/dev/null)"
bench_lambda_proxy_conf "$BENCH_WORK/lp-conf" "$STANDIN_PORT"
EXPECTED_BODY='"Hello, bench!"'

# "old" is the baseline, "new" the jar under test; both run until the end.
WHOS=(old new)
declare -A JAR PID URL ARGS WARM EXTRA
JAR[old]=$OLD_JAR
JAR[new]=$NEW_JAR
EXTRA[old]=$OLD_EXTRA
EXTRA[new]=$NEW_EXTRA
for who in "${WHOS[@]}"; do
  BENCH_JAR=${JAR[$who]}
  bench_lambda_proxy_args "$BENCH_JAR"
  read -r -a extra <<<"${EXTRA[$who]}"
  LP_ARGS+=(${extra[@]+"${extra[@]}"})
  ARGS[$who]="${LP_ARGS[*]}"
  port=$(bench_free_port)
  bench_note "starting $who ($BENCH_JAR) on $port: ${ARGS[$who]}"
  # The attach listener lets jcmd (JFR.start, Thread.print) reach a JVM started as a background job.
  bench_start_lambda_proxy "$BENCH_WORK/lp-conf" "$port" "$OUT_DIR/lambda-proxy-$who.log" -XX:+StartAttachListener
  PID[$who]=$LP_PID
  URL[$who]="http://127.0.0.1:$port/hello"
done
for who in "${WHOS[@]}"; do
  bench_wait_200 "${PID[$who]}" 60 GET "${URL[$who]}" \
    || bench_die "$who (${JAR[$who]}) did not answer 200 on ${URL[$who]}: $(tail -n 5 "$OUT_DIR/lambda-proxy-$who.log")"
  body=$(curl -s --max-time 5 "${URL[$who]}")
  [ "$body" = "$EXPECTED_BODY" ] || bench_die "$who answered '$body', expected '$EXPECTED_BODY'"
done

for who in "${WHOS[@]}"; do
  bench_note "warming $who: 5-s rounds until three agree within 5 % (at most $WARM_MAX)"
  bench_warm_until_steady "$OUT_DIR/warmup-$who" 16 "${URL[$who]}" "$WARM_MAX"
  # bench_warm_until_steady stops at the cap without saying whether the last three agreed.
  steady=$(awk -v r="$WARM_RPS" 'BEGIN { n = split(r, v, " "); if (n < 3) { print "not steady"; exit }
    lo = v[n]; hi = v[n]; for (i = n - 2; i < n; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i] }
    print (lo > 0 && (hi - lo) / hi < 0.05) ? "steady" : "not steady at the cap" }')
  WARM[$who]="$WARM_ROUNDS × 5 s, $steady ($WARM_RPS req/s)"
  bench_alive "${PID[$who]}" || bench_die "$who died during its warm-up"
done

# One line per measured round: who round rps p50 p99 max errors non2xx requests cpu_us other_pct ctx_switches
ROUNDS_FILE="$OUT_DIR/rounds.txt"
: >"$ROUNDS_FILE"
for round in $(seq 1 "$ROUNDS"); do
  for who in "${WHOS[@]}"; do
    pid=${PID[$who]}
    bench_note "round $round: $who, ${DURATION}s"
    [ "$THREADS" = 0 ] || bench_thread_ticks "$pid" >"$BENCH_WORK/threads-$who-$round-0"
    switches=$(bench_ctx_switches "$pid")
    ticks=$(bench_cpu_ticks "$pid")
    standin_ticks=$(bench_cpu_ticks "$STANDIN_PID")
    busy=$(bench_machine_busy_ticks)
    bench_children_ticks
    children=$CHILD_TICKS
    started=$(bench_now_ms)
    bench_wrk "$OUT_DIR/round-$round-$who.wrk" -t1 -c16 -d"${DURATION}s" --latency "${URL[$who]}"
    elapsed=$(( $(bench_now_ms) - started ))
    ticks=$(( $(bench_cpu_ticks "$pid") - ticks ))
    standin_ticks=$(( $(bench_cpu_ticks "$STANDIN_PID") - standin_ticks ))
    busy=$(( $(bench_machine_busy_ticks) - busy ))
    switches=$(( $(bench_ctx_switches "$pid") - switches ))
    [ "$THREADS" = 0 ] || bench_thread_ticks "$pid" >"$BENCH_WORK/threads-$who-$round-1"
    bench_children_ticks
    children=$(( CHILD_TICKS - children ))
    other=$(bench_other_percent "$busy" "$ticks" "$standin_ticks" "$children" "$elapsed")
    figures=$(bench_parse_wrk "$OUT_DIR/round-$round-$who.wrk")
    cpu=$(bench_cpu_per_request "$ticks" "${figures##* }" 1)
    printf '%s %s %s %s %s %s\n' "$who" "$round" "$figures" "$cpu" "$other" "$switches" >>"$ROUNDS_FILE"
    bench_alive "$pid" || bench_die "$who died during round $round"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- figures ----
# Column COL (1-based, of rounds.txt) of WHO's rounds: "median min max", or "- - -".
stat_of() {
  awk -v w="$1" -v c="$2" '$1 == w && $c != "-" { print $c }' "$ROUNDS_FILE" | sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "- - -"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s %s %s\n", m, v[1], v[NR] }'
}
# Median, min and max over the rounds of new / old in the same round for column COL.
paired_of() {
  awk -v c="$1" '$1 == "old" { o[$2] = $c } $1 == "new" { n[$2] = $c }
    END { for (r in n) if ((r in o) && o[r] != "-" && n[r] != "-" && o[r] + 0 > 0) print n[r] / o[r] }' "$ROUNDS_FILE" \
    | sort -g | awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "- - -"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.3f\n", a / b }'; }
# "median (min–max)" with D decimals: cell "median min max" D
cell() { awk -v m="$1" -v lo="$2" -v hi="$3" -v d="$4" 'BEGIN {
  if (m == "-") { print "-"; exit }
  f = "%." d "f"; printf (f " (" f "–" f ")\n"), m, lo, hi }'; }
# Spread of the rounds: (max - min) / median, in %.
spread() { awk -v m="$1" -v lo="$2" -v hi="$3" 'BEGIN { if (m == "-" || m + 0 == 0) print "-"; else printf "%.0f\n", (hi - lo) / m * 100 }'; }
total_of() { awk -v w="$1" -v c="$2" '$1 == w { s += $c } END { print s + 0 }' "$ROUNDS_FILE"; }

# shellcheck disable=SC2046 # word splitting of "median min max" is meant
{
  printf '## lambda-proxy before/after, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- machine: %s cores, load average %s before the run, %s after; everything on 127.0.0.1\n' \
    "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER"
  printf -- '- baseline: `%s`\n- new: `%s`\n' "$OLD_JAR" "$NEW_JAR"
  printf -- '- JVM flags: `%s`; arguments: baseline `%s`, new `%s`; %s\n' "$LP_JAVA_OPTS" "${ARGS[old]}" "${ARGS[new]}" \
    "$(java -version 2>&1 | head -n 1)"
  printf -- '- warm-up (wrk -t2 -c16, 5-s rounds until three agree within 5 %%, at least 6, at most %s): baseline %s; new %s\n' \
    "$WARM_MAX" "${WARM[old]}" "${WARM[new]}"
  printf -- '- measured: GET /hello, wrk -t1 -c16 --latency, %s rounds of %s s each, alternating baseline, new, baseline, new, ...\n\n' \
    "$ROUNDS" "$DURATION"

  printf '| GET /hello, 16 conns: median (min–max) of %s rounds | baseline | new | new / baseline (of the medians) | new / baseline, paired by round: median (min–max) |\n' "$ROUNDS"
  printf '|---|---:|---:|---:|---:|\n'
  # columns of rounds.txt: 3 rps, 4 p50, 5 p99, 6 max, 7 errors, 8 non2xx, 9 requests, 10 cpu, 11 other, 12 switches
  for row in "requests/s:3:0" "CPU µs per request (utime + stime / requests):10:1" "p50 ms:4:2" "p99 ms:5:2"; do
    IFS=: read -r label col d <<<"$row"
    read -r om olo ohi <<<"$(stat_of old "$col")"
    read -r nm nlo nhi <<<"$(stat_of new "$col")"
    printf '| %s | %s | %s | %s | %s |\n' "$label" "$(cell "$om" "$olo" "$ohi" "$d")" "$(cell "$nm" "$nlo" "$nhi" "$d")" \
      "$(ratio "$nm" "$om")" "$(cell $(paired_of "$col") 3)"
  done
  ocs=$(awk -v s="$(total_of old 12)" -v n="$(total_of old 9)" 'BEGIN { printf "%.2f\n", n ? s / n : 0 }')
  ncs=$(awk -v s="$(total_of new 12)" -v n="$(total_of new 9)" 'BEGIN { printf "%.2f\n", n ? s / n : 0 }')
  printf '| context switches per request, all rounds | %s | %s | %s | |\n' "$ocs" "$ncs" "$(ratio "$ncs" "$ocs")"
  read -r om olo ohi <<<"$(stat_of old 11)"
  read -r nm nlo nhi <<<"$(stat_of new 11)"
  printf '| CPU taken by other processes, %% of the machine | %s | %s | | |\n' "$(cell "$om" "$olo" "$ohi" 0)" "$(cell "$nm" "$nlo" "$nhi" 0)"
  printf '| socket errors / non-2xx, all rounds | %s / %s | %s / %s | | |\n' \
    "$(total_of old 7)" "$(total_of old 8)" "$(total_of new 7)" "$(total_of new 8)"
  printf '| spread of the rounds (max − min) / median: requests/s, CPU per request | %s %%, %s %% | %s %%, %s %% | | |\n\n' \
    "$(spread $(stat_of old 3))" "$(spread $(stat_of old 10))" "$(spread $(stat_of new 3))" "$(spread $(stat_of new 10))"

  printf '| round | baseline req/s | baseline CPU µs/req | baseline p99 ms | baseline other %% | new req/s | new CPU µs/req | new p99 ms | new other %% |\n'
  printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  awk '{ r[$1, $2] = $3 " | " $10 " | " $5 " | " $11; if ($2 > k) k = $2 }
    END { for (i = 1; i <= k; i++) printf "| %d | %s | %s |\n", i, r["old", i], r["new", i] }' "$ROUNDS_FILE"
  printf '\n'

  if [ "$THREADS" = 1 ]; then
    # Per thread name, summed over the measured rounds (threads matched by tid, so a thread born
    # during a round counts from 0); pool hashes (qtp123, @1a2b) are blanked so both JVMs' names meet.
    for who in "${WHOS[@]}"; do
      for round in $(seq 1 "$ROUNDS"); do
        awk -v w="$who" 'NR == FNR { a[$3] = $2; next } { d = $2 - a[$3]; if (d > 0) print w, $1, d }' \
          "$BENCH_WORK/threads-$who-$round-0" "$BENCH_WORK/threads-$who-$round-1"
      done
    done | sed -E -e 's/qtp[0-9]+/qtp/' -e 's/@[0-9a-f]+/@/' >"$OUT_DIR/threads.txt"
    printf '| thread (name without pool number and hash), CPU µs per request over the measured rounds | baseline | new | new − baseline |\n'
    printf '|---|---:|---:|---:|\n'
    awk -v on="$(total_of old 9)" -v nn="$(total_of new 9)" -v hz="$CLK_TCK" '
      { t[$1, $2] += $3; names[$2] = 1 }
      END {
        for (k in names) {
          o = t["old", k] / hz * 1e6 / on; n = t["new", k] / hz * 1e6 / nn
          if (o >= 0.5 || n >= 0.5) printf "%s %.1f %.1f %+.1f\n", k, o, n, n - o
        }
      }' "$OUT_DIR/threads.txt" | sort -k3 -gr | awk '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
    printf '\n'
  fi
  printf 'Raw output: %s\n' "$OUT_DIR"
} | tee "$OUT_DIR/results.md"
