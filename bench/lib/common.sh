# shellcheck shell=bash
# Helpers for bench/run.sh (sourced, not run). Bash; needs only coreutils, curl and /proc.
# shellcheck disable=SC2034 # globals (RSS_PEAK_MB, CHILD_TICKS, ...) are read by the caller
# Every process started here is a child of the main shell, recorded in BENCH_PIDS and ended by
# bench_cleanup (TERM, then KILL after 10 s); nothing is ever ended by name.

BENCH_PIDS=()
BENCH_PORTS_TAKEN=" "
BENCH_FAKE_KEY_ID="AKIDBENCHEXAMPLE"
BENCH_FAKE_SECRET="bench/secret/not/a/real/key/EXAMPLEKEY"

bench_note() {
  if [ "${BENCH_VERBOSE:-0}" = 1 ]; then printf 'bench: %s\n' "$*" >&2; fi
  return 0
}

bench_die() {
  printf 'bench: %s\n' "$*" >&2
  exit 1
}

# Installs the Debian packages behind missing commands (apt-get update once, only if needed).
# Arguments: pairs "command:package".
bench_require() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || bench_die "missing ${missing[*]}; install them (apt-get install ${missing[*]})"
    sudo="sudo -n"
  fi
  bench_note "installing ${missing[*]}"
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/lambda-proxy-bench-apt.XXXXXX")
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >"$log" 2>&1 \
    || bench_die "apt-get update failed; see $log"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
    || bench_die "apt-get install ${missing[*]} failed; see $log"
  rm -f "$log"
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || bench_die "${pair%%:*} still missing after installing ${pair#*:}"
  done
}

# A loopback port nobody listens on, below Linux's ephemeral range (32768+) so that wrk's own
# client sockets can never hold it.
bench_free_port() {
  local port i
  for i in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    case "$BENCH_PORTS_TAKEN" in *" $port "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      BENCH_PORTS_TAKEN="$BENCH_PORTS_TAKEN$port "
      printf '%s\n' "$port"
      return 0
    fi
  done
  bench_die "no free port found on 127.0.0.1"
}

bench_alive() {
  local pid="$1" state
  [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed -e 's/^.*) //' -e 's/ .*//' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] && [ "$state" != X ]
}

# Ends one process started here: TERM, up to 10 s, then KILL; reaps it.
bench_stop() {
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  bench_stop_within "$pid" 10
}

# Waits up to SECONDS for PID to end by itself, then KILLs it; reaps it and forgets it.
bench_stop_within() {
  local pid="$1" seconds="$2" i
  for i in $(seq 1 $((seconds * 10))); do
    bench_alive "$pid" || break
    sleep 0.1
  done
  if bench_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  local kept=() p
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}

bench_cleanup() {
  local pid
  set +e
  for pid in "${BENCH_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${BENCH_PIDS[@]}"; do bench_stop "$pid"; done
  if [ -n "${BENCH_WORK:-}" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$BENCH_WORK"; fi
}

# Waits until METHOD URL answers 200 (the body, if given, is posted): up to TIMEOUT seconds while
# nothing listens, 3 seconds more once it answers something else; fails at once if PID dies.
# bench_wait_200 PID TIMEOUT METHOD URL [DATA]
bench_wait_200() {
  local pid="$1" timeout="$2" method="$3" url="$4" data="${5:-}" deadline code answered=0 now
  deadline=$(($(date +%s) + timeout))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X "$method" ${data:+--data-binary "$data"} "$url" 2>/dev/null) || code=000
    [ "$code" = 200 ] && return 0
    bench_alive "$pid" || return 1
    now=$(date +%s)
    if [ "$code" != 000 ] && [ "$answered" = 0 ]; then
      answered=1
      [ $((now + 3)) -lt "$deadline" ] && deadline=$((now + 3))
    fi
    [ "$now" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# Writes an nginx conf from a template: bench_nginx_conf TEMPLATE DIR KEY=VALUE...
bench_nginx_conf() {
  local template="$1" dir="$2" user_line="" sed_args=() kv
  shift 2
  mkdir -p "$dir"
  # As root nginx would hand its workers to nobody, who cannot write the temp folders here.
  if [ "$(id -u)" = 0 ]; then user_line="user root;"; fi
  sed_args=(-e "s|@USER@|$user_line|" -e "s|@DIR@|$dir|g")
  for kv in "$@"; do sed_args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  sed "${sed_args[@]}" "$template" >"$dir/nginx.conf"
  if grep -q '@[A-Z_0-9]*@' "$dir/nginx.conf"; then bench_die "unfilled placeholder in $dir/nginx.conf"; fi
}

# Starts nginx in the foreground of a background job; sets NGINX_PID. bench_start_nginx DIR
bench_start_nginx() {
  local dir="$1"
  nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/test.log" 2>&1 \
    || bench_die "nginx rejects $dir/nginx.conf: $(cat "$dir/test.log")"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' >"$dir/stdout.log" 2>&1 &
  NGINX_PID=$!
  BENCH_PIDS+=("$NGINX_PID")
}

# Writes the proxy's conf folder: bench_lambda_proxy_conf DIR STANDIN_PORT
bench_lambda_proxy_conf() {
  local dir="$1" standin_port="$2"
  mkdir -p "$dir"
  # /cached is the same function behind the response cache: its figure is the HIT throughput.
  printf '/hello = hello\n/cached = hello ; cache=60s\n' >"$dir/routes.properties"
  printf 'region = us-east-1\nendpoint = http://127.0.0.1:%s\n' "$standin_port" >"$dir/lambda-proxy.properties"
}

# Sets LP_ARGS to the flags the jar JAR knows of these: no admin port (its fixed default could
# clash), no access log (nginx writes none either). An older jar without them gets neither.
# bench_lambda_proxy_args JAR
bench_lambda_proxy_args() {
  local help
  help=$(timeout --foreground 60 java -jar "$1" --help 2>&1 || true)
  LP_ARGS=()
  case "$help" in *--admin-port*) LP_ARGS+=(--admin-port off) ;; esac
  case "$help" in *--access-log*) LP_ARGS+=(--access-log false) ;; esac
}

# Starts the jar on 127.0.0.1:PORT with LP_JAVA_OPTS and the arguments LP_ARGS; sets LP_PID.
# bench_start_lambda_proxy CONF PORT LOG [JVM flag...]
# The stand-in checks no signature, so the keys are fake; every variable that would override the
# conf folder is cleared.
bench_start_lambda_proxy() {
  local conf="$1" port="$2" log="$3"
  shift 3
  # shellcheck disable=SC2086 # LP_JAVA_OPTS is a list of flags
  env -u AWS_REGION -u AWS_DEFAULT_REGION -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_LAMBDA \
    -u AWS_SESSION_TOKEN -u LAMBDA_PROXY_CONF -u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS \
    AWS_ACCESS_KEY_ID="$BENCH_FAKE_KEY_ID" AWS_SECRET_ACCESS_KEY="$BENCH_FAKE_SECRET" \
    java $LP_JAVA_OPTS "$@" -jar "$BENCH_JAR" --host 127.0.0.1 --port "$port" --conf "$conf" \
    ${LP_ARGS[@]+"${LP_ARGS[@]}"} >"$log" 2>&1 &
  LP_PID=$!
  BENCH_PIDS+=("$LP_PID")
}

# Sum of VmRSS (kB) of PID and its children.
bench_rss_kb() {
  local pid="$1" kids p total=0 v
  kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
  for p in $pid $kids; do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  printf '%s\n' "$total"
}

# Sum of VmHWM (kB, peak RSS since start or the last reset) of PID and its children.
bench_hwm_kb() {
  local pid="$1" kids p total=0 v
  kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
  for p in $pid $kids; do
    v=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  printf '%s\n' "$total"
}

# Starts sampling the RSS of PID's process tree every 0.5 s into FILE (its peak, kB), after
# resetting the kernel's peak counters (clear_refs 5) so VmHWM covers this window only.
# Sets SAMPLER_PID. bench_rss_start PID FILE
bench_rss_start() {
  local pid="$1" file="$2" p
  for p in $pid $(cat /proc/"$pid"/task/*/children 2>/dev/null || true); do
    echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true
  done
  rm -f "$file.stop"
  bench_rss_kb "$pid" >"$file"
  (
    peak=0
    # A stop file rather than a signal, so no sleep is left behind.
    while [ ! -e "$file.stop" ] && bench_alive "$pid"; do
      now=$(bench_rss_kb "$pid")
      if [ "$now" -gt "$peak" ]; then peak=$now; printf '%s\n' "$peak" >"$file"; fi
      sleep 0.5
    done
  ) &
  SAMPLER_PID=$!
  BENCH_PIDS+=("$SAMPLER_PID")
}

# Stops the sampler; sets RSS_PEAK_MB: the larger of the samples and the kernel's VmHWM.
# bench_rss_stop PID FILE
bench_rss_stop() {
  local pid="$1" file="$2" sampled hwm
  touch "$file.stop"
  bench_stop_within "$SAMPLER_PID" 3
  sampled=$(cat "$file" 2>/dev/null || echo 0)
  hwm=$(bench_hwm_kb "$pid")
  RSS_PEAK_MB=$(awk -v a="${sampled:-0}" -v b="${hwm:-0}" 'BEGIN { printf "%.0f\n", (a > b ? a : b) / 1024 }')
}

# Runs wrk (bounded by timeout: its duration plus 30 s) into FILE: bench_wrk FILE wrk-args...
# The duration is read from "-d 10s", "-d10s", "--duration 10s" or "--duration=10s" (s, m or h;
# 10 s when absent, as wrk's own default).
bench_wrk() {
  local file="$1" duration=10 a prev="" v
  shift
  for a in "$@"; do
    v=""
    case "$prev" in -d | --duration) v="$a" ;; esac
    case "$a" in --duration=*) v="${a#--duration=}" ;; -d?*) v="${a#-d}" ;; esac
    case "$v" in
      *h) v="${v%h}"; v=$(( ${v:-0} * 3600 )) 2>/dev/null || v="" ;;
      *m) v="${v%m}"; v=$(( ${v:-0} * 60 )) 2>/dev/null || v="" ;;
      *s) v="${v%s}" ;;
    esac
    case "$v" in '' | *[!0-9]*) ;; *) duration="$v" ;; esac
    prev="$a"
  done
  timeout --foreground -k 5 $((duration + 30)) wrk "$@" >"$file" 2>&1 || true
}

# Parses a `wrk --latency` report: prints "rps p50_ms p99_ms max_ms errors non2xx requests".
bench_parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    BEGIN { rps = "-"; p50 = "-"; p99 = "-"; max = "-"; err = 0; bad = 0; n = 0; seen = 0 }
    $1 == "Latency" && NF >= 4 { max = ms($4) }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $2 == "requests" && $3 == "in" { n = $1 }
    /^ *Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
    /^ *Non-2xx or 3xx responses:/ { bad = $NF }
    $1 == "Requests/sec:" { rps = $2; seen = 1 }
    END {
      if (!seen) { print "- - - - - - 0"; exit }
      printf "%.0f %.2f %.2f %.2f %d %d %d\n", rps, p50, p99, max, err, bad, n
    }' "$1"
}

# Parses an h2load report: prints "rps mean_ms max_ms failed non2xx" or "n/a".
bench_parse_h2load() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    BEGIN { rps = ""; failed = 0; bad = 0 }
    /^finished in/ { rps = $4 }
    /^requests:/ { ok = $8; failed = $10 + $12 + $14 }
    /^status codes:/ { bad = $5 + $7 + $9 + 0 }
    $1 == "time" && $3 == "request:" { mean = ms($6); max = ms($5) }
    END {
      if (rps == "" || ok + 0 == 0) { print "n/a"; exit }
      printf "%.0f %.2f %.2f %d %d\n", rps, mean, max, failed, bad
    }' "$1"
}

# Whether URL answers a prior-knowledge h2c GET with 2xx (lambda-proxy has no h2c yet).
bench_offers_h2c() {
  local url="$1" out
  out=$(timeout --foreground -k 2 10 h2load -n 1 -c 1 -t 1 "$url" 2>&1) || return 1
  printf '%s\n' "$out" | grep -q '^status codes: 1 2xx'
}

# Writes a JSON object of exactly SIZE bytes: {"data":"xxx..."}. bench_json_body FILE SIZE
bench_json_body() {
  local file="$1" size="$2"
  { printf '{"data":"'; head -c $((size - 11)) /dev/zero | tr '\0' 'x'; printf '"}'; } >"$file"
  [ "$(wc -c <"$file")" -eq "$size" ] || bench_die "could not write a $size-byte body to $file"
}

# Heap figures from a -Xlog:gc file, lines after LINE (1-based, exclusive): prints
# "baseline_mb peak_after_mb peak_before_mb gcs allocated_mb". The baseline is the heap after the
# full GC that opens the window (jcmd GC.run); the peak is the largest heap left after a later
# GC, i.e. what was still reachable, in-flight bodies included. With G1 every pause counts (a young
# pause frees unreachable humongous arrays, which large bodies are); with Serial or Parallel only
# full GCs do, as a young pause leaves the old generation's garbage in place. allocated_mb adds up
# each GC's before minus the previous GC's after.
bench_parse_gc_log() {
  local file="$1" from="$2"
  awk -v from="$from" '
    function mb(v) {
      if (v ~ /K$/) return substr(v, 1, length(v) - 1) / 1024
      if (v ~ /M$/) return substr(v, 1, length(v) - 1) + 0
      if (v ~ /G$/) return substr(v, 1, length(v) - 1) * 1024
      return v / 1048576
    }
    /\[gc\] Using / { g1 = ($0 ~ /Using G1/) }
    NR <= from { next }
    match($0, /[0-9]+[KMG]->[0-9]+[KMG]\([0-9]+[KMG]\)/) {
      t = substr($0, RSTART, RLENGTH)
      split(t, a, /->|\(/)
      before = mb(a[1]); after = mb(a[2])
      if (!haveBase && $0 ~ /Pause Full \((System.gc\(\)|Diagnostic Command)\)/) { base = after; haveBase = 1; last = after; next }
      if (!haveBase) next
      gcs++
      alloc += before - last; last = after
      if (before > peakBefore) peakBefore = before
      if (g1 || $0 ~ /Pause Full/) { counted++; if (after > peakAfter) peakAfter = after }
    }
    END {
      if (!haveBase) { print "- - - 0 -"; exit }
      if (counted == 0) { printf "%.1f - %.1f %d %.0f\n", base, peakBefore, gcs, alloc; exit }
      printf "%.1f %.1f %.1f %d %.0f\n", base, peakAfter, peakBefore, gcs, alloc
    }' "$file"
}

# Runs jcmd against PID, up to 3 tries (an attach can time out on a loaded machine).
bench_jcmd() {
  local pid="$1" try
  shift
  for try in 1 2 3; do
    if timeout --foreground 60 jcmd "$pid" "$@" >>"${BENCH_JCMD_LOG:-/dev/null}" 2>&1; then return 0; fi
    bench_alive "$pid" || return 1
    sleep 1
  done
  return 1
}

# CPU time (clock ticks) used so far by PID and its children: user + system, or one of them.
# bench_cpu_ticks PID [user|system]
bench_cpu_ticks() {
  local pid="$1" which="${2:-both}" kids p total=0 v fields
  case "$which" in user) fields='$12' ;; system) fields='$13' ;; *) fields='$12 + $13' ;; esac
  kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
  for p in $pid $kids; do
    # Fields 14 (user) and 15 (system) of stat, counted after the ")" that ends the command name.
    v=$(sed -e 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk "{ print $fields }" || true)
    total=$((total + ${v:-0}))
  done
  printf '%s\n' "$total"
}

# CPU per request in µs (the same figure as ms per 1000 requests), rounded to DECIMALS places
# (default 0), or "-" without requests: bench_cpu_per_request TICKS REQUESTS [DECIMALS]
bench_cpu_per_request() {
  awk -v t="$1" -v n="$2" -v d="${3:-0}" -v hz="${CLK_TCK:-100}" \
    'BEGIN { if (n + 0 == 0) print "-"; else printf "%." d "f\n", t / hz * 1e6 / n }'
}

# Starts a Java floor (tools/NettyFloor.java for netty-proxy, else tools/JettyFloor.java; from the jar BENCH_JAR) in MODE on
# 127.0.0.1:PORT, proxying to INVOKE_URL, with LP_JAVA_OPTS and FLOOR_OPTS; sets FLOOR_PID.
# bench_start_floor MODE PORT INVOKE_URL LOG
bench_start_floor() {
  local mode="$1" port="$2" invoke_url="$3" log="$4"
  if [ "$mode" = netty-proxy ]; then
    # shellcheck disable=SC2086 # flag lists
    java $LP_JAVA_OPTS ${FLOOR_OPTS:-} -cp "$BENCH_JAR" "$(dirname "${BASH_SOURCE[0]}")/../tools/NettyFloor.java" \
      "$port" "$invoke_url" >"$log" 2>&1 &
  else
    # shellcheck disable=SC2086 # flag lists
    java $LP_JAVA_OPTS ${FLOOR_OPTS:-} -cp "$BENCH_JAR" "$(dirname "${BASH_SOURCE[0]}")/../tools/JettyFloor.java" \
      "$mode" "$port" "$invoke_url" >"$log" 2>&1 &
  fi
  FLOOR_PID=$!
  BENCH_PIDS+=("$FLOOR_PID")
}

# Context switches (voluntary and not) of all of PID's threads so far.
bench_ctx_switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'
}

# Prints "name ticks tid" per thread of PID (ticks: user + system); the name without a pool's
# "-N", and stat read after the ")" that ends the command name ("C2 CompilerThre" has a space).
# bench_thread_ticks PID
bench_thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "$(tr ' ' _ <"$t/comm" | sed 's/-[0-9]*$//')" "$(sed -e 's/^.*) //' "$t/stat" | awk '{ print $12 + $13 }')" "${t##*/}"
  done 2>/dev/null
}

# Busy CPU time (clock ticks) of the whole machine so far, from /proc/stat.
bench_machine_busy_ticks() {
  awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# Sets CHILD_TICKS: CPU time (clock ticks) of this shell's reaped children (wrk, curl, ...) so far.
# Call it as a statement, not in $(...): a subshell has children of its own.
bench_children_ticks() {
  times >"$BENCH_WORK/times.txt"
  CHILD_TICKS=$(awk -v hz="${CLK_TCK:-100}" 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, /m/); t += p[1] * 60 + substr(p[2], 1, length(p[2]) - 1) }
    printf "%.0f\n", t * hz }' "$BENCH_WORK/times.txt")
}

# What processes outside a benchmark took of the machine during a run, in % of all its cores
# (never below 0): the noise indicator. The tick counts are deltas over the run: the machine's
# busy ticks, the measured process's, the stand-in's and this shell's children's (wrk).
# bench_other_percent BUSY PROCESS STANDIN CHILDREN ELAPSED_MS
bench_other_percent() {
  awk -v b="$1" -v p="$2" -v s="$3" -v c="$4" -v ms="$5" -v hz="${CLK_TCK:-100}" -v n="$(nproc)" \
    'BEGIN { o = (b - p - s - c) / (ms / 1000 * hz * n) * 100; printf "%.0f\n", (o < 0 ? 0 : o) }'
}

# Milliseconds since the epoch.
bench_now_ms() {
  local ns
  ns=$(date +%s%N)
  printf '%s\n' $((ns / 1000000))
}

# Drives URL with wrk in 5-second rounds at CONNS connections until three rounds in a row are
# within 5 % of each other, after at least 6 rounds and at most MAX_ROUNDS: a JVM on 2 cores shared
# with wrk needs 30-60 s before the JIT has compiled its hot path, and climbs in steps with flat
# stretches between them (a fixed 15-s warm-up measured it at half speed; two agreeing rounds
# stopped on a plateau). Writes each round into PREFIX-N.wrk; sets WARM_ROUNDS and WARM_RPS.
# bench_warm_until_steady PREFIX CONNS URL [MAX_ROUNDS]
bench_warm_until_steady() {
  local prefix="$1" conns="$2" url="$3" max="${4:-16}" round rps prev="" prev2=""
  WARM_RPS=""
  for round in $(seq 1 "$max"); do
    bench_wrk "$prefix-$round.wrk" -t2 -c"$conns" -d5s "$url"
    rps=$(awk '$1 == "Requests/sec:" { printf "%.0f\n", $2 }' "$prefix-$round.wrk")
    rps="${rps:-0}"
    WARM_RPS="$WARM_RPS${WARM_RPS:+ }$rps"
    WARM_ROUNDS=$round
    if [ "$round" -ge 6 ] && awk -v a="$prev2" -v b="$prev" -v c="$rps" 'BEGIN {
          lo = a; hi = a; if (b < lo) lo = b; if (c < lo) lo = c; if (b > hi) hi = b; if (c > hi) hi = c
          exit !(lo > 0 && (hi - lo) / hi < 0.05) }'; then
      return 0
    fi
    prev2=$prev
    prev=$rps
  done
}
