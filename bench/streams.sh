#!/usr/bin/env bash
# Figure 4 at 1,000 streams alone, for A/B work on the streaming relay: gateway CPU per relayed chunk
# (utime+stime from /proc/PID/stat over the run ÷ chunks the client received) and the client's delay
# and burst figures, with several gateway builds side by side, measured alternately.
#
#   bench/streams.sh [--rounds N] [--streams S] [--jfr] JAR [JAR...]
#
# Each JAR (an atrium-gateway.jar with libs/ beside it) runs pinned to CPU 1 with
# -XX:ActiveProcessorCount=1 and the service's JVM options (as bench/run.sh runs it); the SSE stub
# and the client share CPU 0.
# Every gateway first gets a warm-up (24,000 short streams, then 2 × 400 streams of 200 chunks 5 ms
# apart: until the C2 compiler is done with both the per-call and per-chunk code), then rounds of
# S streams × 100 chunks 20 ms apart (start spread over 1 s) go to each gateway in turn. Other
# engineers' load pollutes the delay figures on a shared machine; CPU per chunk is what to compare.
# --jfr records the last round of each gateway (settings=profile) into bench/work/streams-N.jfr;
# --perf samples it with `perf record -g` into bench/work/streams-N.perf (JIT symbols: /tmp/perf-PID.map).
# --stat counts context switches and syscalls per relayed chunk over every round (`perf stat`);
# STAT_EVENTS=ev1,ev2,... counts other events (e.g. syscalls:sys_enter_epoll_ctl) instead.
# --hold N: instead, N open streams (1 chunk a second) per gateway in turn: RSS per stream, and the
# heap histogram after a full GC in bench/work/streams-N.histo (figure 5's measurement).
# Each round also reports the gateway's stop-the-world GC pauses in it (count, total ms; jstat).
# Gateways run with the installed service's -XX: options (its launcher file; BENCH_GW_JVM replaces
# them, empty for JVM ergonomics); GW_OPTS adds JVM options to every gateway, GW_OPTS_N to the N-th
# (from 0) only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh

rounds=3 streams=1000 jfr=0 perf=0 stat=0 hold=0 jars=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --jfr) jfr=1; shift ;;
    --perf) perf=1; shift ;;
    --stat) stat=1; shift ;;
    --hold) hold=$2; shift 2 ;;
    *) jars+=("$1"); shift ;;
  esac
done
[ ${#jars[@]} -gt 0 ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

work=$PWD/bench/work/streams
rm -rf "$work"; mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -nowarn -d "$work/classes" bench/java/SseStub.java bench/java/StreamClient.java
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
clk=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
uticks() { awk '{print $14}' "/proc/$1/stat"; }
# stop-the-world GC pauses so far and their total time in ms (jstat: young and full collections, and
# G1's concurrent cycles, each counted once for its remark and cleanup pauses)
gcs() { taskset -c 0 "$JAVA_HOME/bin/jstat" -gc "$1" | awk 'NR==1 {for (i=1;i<=NF;i++) c[$i]=i} NR==2 {printf "%d %.0f\n", $c["YGC"]+$c["FGC"]+$c["CGC"], ($c["YGCT"]+$c["FGCT"]+$c["CGCT"])*1000}'; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap "exit 1" INT TERM

secret="streams-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
token=$(SECRET=$secret python3 - <<'EOF'
import base64, hmac, hashlib, json, os, time
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
now = int(time.time())
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
c = b(json.dumps({"sub": "bench-user", "tenant": "default", "allowed_tasks": ["*"], "iat": now,
                  "exp": now + 86400, "jti": os.urandom(8).hex()}).encode())
s = b(hmac.new(os.environ["SECRET"].encode(), f"{h}.{c}".encode(), hashlib.sha256).digest())
print(f"{h}.{c}.{s}")
EOF
)

sse_port=$(free_port)
taskset -c 0 "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xss256k -cp "$work/classes" SseStub "$sse_port" > "$work/sse.log" 2>&1 &
pids+=($!)

# the installed service's collector and heap options (its launcher's -XX: options), as bench/run.sh uses
svc_opts=${BENCH_GW_JVM-$(sed -n 's/^java-options=//p' installer/src/jpackage/atrium-gateway.properties | tr ' ' '\n' | grep '^-XX:' | tr '\n' ' ')}
gw_pid=() gw_port=()
for i in "${!jars[@]}"; do
  src=$(readlink -f "${jars[$i]}")
  dir=$work/gw$i; mkdir -p "$dir/data"
  cp -r "$(dirname "$src")/libs" "$dir/libs"; cp "$src" "$dir/gw.jar"  # a neutral name: see bench/README.md
  port=$(free_port) admin=$(free_port)
  # the limits of Bench.atriumConfig (set far above the load), with only the streaming route
  cat > "$dir/gw.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $port
  max_connections: 30000
admin:
  host: 127.0.0.1
  port: $admin
access_log:
  enabled: true
limits:
  ip_requests_per_minute: 100000000
  ip_burst: 10000000
  tenant_requests_per_minute: 100000000
  tenant_burst: 10000000
  user_requests_per_minute: 100000000
  user_burst: 10000000
  tenant_max_concurrent: 100000
  user_max_concurrent: 100000
routes:
  - id: sse
    backends: [{url: "http://127.0.0.1:$sse_port", max_concurrency: 100000}]
EOF
  JWT_SECRET=$secret taskset -c 1 "$JAVA_HOME/bin/java" -XX:ActiveProcessorCount=1 $svc_opts ${GW_OPTS:-} $(eval echo "\${GW_OPTS_$i:-}") \
    -jar "$dir/gw.jar" --config "$dir/gw.yaml" --data-dir "$dir/data" > "$dir/gw.log" 2>&1 &
  pids+=($!); gw_pid[$i]=$!; gw_port[$i]=$port
done
for i in "${!jars[@]}"; do
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:${gw_port[$i]}/ready" >/dev/null 2>&1 && break
    kill -0 "${gw_pid[$i]}" 2>/dev/null || { cat "$work/gw$i/gw.log" >&2; exit 1; }
    sleep 0.2
  done
done

# one client JVM for the whole run (as bench/run.sh does), so its JIT stays warm between rounds
coproc CLIENT { taskset -c 0 "$JAVA_HOME/bin/java" -cp "$work/classes" StreamClient mode=serve 2>&1; }
pids+=($CLIENT_PID)
client() { # port streams chunks ms spread
  echo "mode=measure port=$1 path=/api/task/sse/sse?n=$3&ms=$4 token=$token streams=$2 spread_ms=$5" >&"${CLIENT[1]}"
  local line
  while IFS= read -r line <&"${CLIENT[0]}"; do
    case "$line" in RESULT*) echo "$line"; return ;; esac
  done
  echo "stream client exited" >&2; exit 1
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
if [ "$hold" -gt 0 ]; then
  echo "gateway jar                                    streams  rss_before_mb  rss_open_mb  kb_per_stream  live_heap_mb"
  for i in "${!jars[@]}"; do
    client "${gw_port[$i]}" 200 20 5 200 >/dev/null  # the stream path once, so its classes are loaded
    pid=${gw_pid[$i]}; sleep 2; before=$(rss "$pid")
    secs=$(( hold / 1000 + 30 ))
    taskset -c 0 "$JAVA_HOME/bin/java" -Xss256k -cp "$work/classes" StreamClient mode=hold port="${gw_port[$i]}" \
      path="/api/task/sse/sse?n=$secs&ms=1000" streams="$hold" ramp_per_s=1000 token="$token" > "$work/hold$i.log" 2>&1 &
    hold_pid=$!
    for _ in $(seq 1 $(( secs * 2 ))); do grep -q ALL_OPEN "$work/hold$i.log" && break; sleep 0.5; done
    peak=0; for _ in 1 2 3 4 5; do r=$(rss "$pid"); [ "$r" -gt "$peak" ] && peak=$r; sleep 1; done
    "$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram > "$PWD/bench/work/streams-$i.histo"
    live=$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info | grep -o 'used [0-9]*K' | tr -dc '0-9\n' | sort -n | tail -1)
    printf "%-46s %7d  %13.1f  %11.1f  %13.1f  %12.1f\n" "${jars[$i]: -46}" "$hold" "$(echo "$before/1024" | bc -l)" \
      "$(echo "$peak/1024" | bc -l)" "$(echo "($peak-$before)/$hold" | bc -l)" "$(echo "$live/1024" | bc -l)"
    kill "$hold_pid" 2>/dev/null; wait "$hold_pid" 2>/dev/null || true; sleep 3
  done
  exit 0
fi

for i in "${!jars[@]}"; do
  for _ in 1 2 3 4 5 6; do client "${gw_port[$i]}" 4000 2 1 2000 >/dev/null; done  # per-call code: ~25k calls for C2
  for _ in 1 2; do client "${gw_port[$i]}" 400 200 5 500 >/dev/null; done        # per-chunk code
done
echo "gateway jar                                    round  cpu_us/chunk  (user)  chunks  errors  delay_p50_us  delay_p99_us  burst_pct  rest_cpu_pct(stub+client+others)  gc_pauses  gc_ms"
for r in $(seq 1 "$rounds"); do
  for i in "${!jars[@]}"; do
    pid=${gw_pid[$i]}
    if [ "$jfr" = 1 ] && [ "$r" = "$rounds" ]; then
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=streams settings=profile filename="$PWD/bench/work/streams-$i.jfr" >/dev/null
    fi
    read -r -a g0 < <(gcs "$pid"); read -r -a s0 < <(head -1 /proc/stat); t0=$(ticks "$pid"); u0=$(uticks "$pid"); w0=$(date +%s%N)
    if [ "$perf" = 1 ] && [ "$r" = "$rounds" ]; then
      perf record -q -F 499 -g -p "$pid" -o "$PWD/bench/work/streams-$i.perf" >/dev/null 2>&1 & perf_pid=$!
    fi
    if [ "$stat" = 1 ]; then
      perf stat -x, -e ${STAT_EVENTS:-context-switches,syscalls:sys_enter_futex,syscalls:sys_enter_read,syscalls:sys_enter_write,raw_syscalls:sys_enter} \
        -p "$pid" -o "$work/stat.txt" & stat_pid=$!
    fi
    res=$(client "${gw_port[$i]}" "$streams" 100 20 1000)
    if [ "$stat" = 1 ]; then
      kill -INT "$stat_pid"; wait "$stat_pid" || true
      c=$(echo "$res" | field chunks)
      echo "  gateway $i round $r, per chunk: $(grep -v '^#' "$work/stat.txt" | grep . | awk -F, -v c="$c" '{sub(/.*:/, "", $3); printf "%s %.2f  ", $3, $1 / c}')"
    fi
    if [ "$perf" = 1 ] && [ "$r" = "$rounds" ]; then
      kill -INT "$perf_pid"; wait "$perf_pid" || true
      "$JAVA_HOME/bin/jcmd" "$pid" Compiler.perfmap >/dev/null
    fi
    read -r -a s1 < <(head -1 /proc/stat); t1=$(ticks "$pid"); u1=$(uticks "$pid"); w1=$(date +%s%N); read -r -a g1 < <(gcs "$pid")
    if [ "$jfr" = 1 ] && [ "$r" = "$rounds" ]; then
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=streams >/dev/null
    fi
    chunks=$(echo "$res" | field chunks)
    # machine busy (user+nice+system+steal) minus the gateway: the stub, the client and everyone else
    busy=$(( (s1[1]+s1[2]+s1[3]+s1[8]) - (s0[1]+s0[2]+s0[3]+s0[8]) ))
    printf "%-46s %5d  %12.1f  %6.1f  %6d  %6s  %12s  %12s  %9s  %13.0f  %33d  %5d\n" "${jars[$i]: -46}" "$r" \
      "$(echo "($t1-$t0)*1000000/$clk/$chunks" | bc -l)" \
      "$(echo "($u1-$u0)*1000000/$clk/$chunks" | bc -l)" "$chunks" "$(echo "$res" | field errors)" \
      "$(echo "$res" | field delay_p50_us)" "$(echo "$res" | field delay_p99_us)" "$(echo "$res" | field burst_pct)" \
      "$(echo "($busy-($t1-$t0))*100*1000000000/$clk/($w1-$w0)" | bc -l)" "$(( g1[0] - g0[0] ))" "$(( g1[1] - g0[1] ))"
  done
done
