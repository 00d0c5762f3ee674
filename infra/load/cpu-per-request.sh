#!/usr/bin/env bash
# CPU per request, per process, of a platform running on this machine (./platform.sh), plus what it adds to one
# request over the simulator called directly. Linux only (reads /proc).
#
#   infra/load/cpu-per-request.sh [warm-seconds=90] [measure-seconds=60] [clients=2] [sequential=300]
#
# Start the platform first with the model instant and the demo tenant's limits lifted, or the rate limiter and
# the simulator's delays are what you measure:
#   SIM_TIME_TO_FIRST_TOKEN_MS=0 SIM_INTER_TOKEN_MS=0 SPRING_APPLICATION_JSON='{"platform":{"gateway":{"tenants":
#   {"demo":{"rate-limit":{"replenish-rate":100000,"burst-capacity":100000}}},"budget":{"defaults":
#   {"tokens-per-minute":1000000000,"tokens-per-day":1000000000}}}}}' ./platform.sh
#
# Each request is the same grounded question with Cache-Control: no-cache (the whole pipeline, never a cache hit).
# CPU is user + system time from /proc/<pid>/task/*/stat of every platform JVM before and after the window; the
# Kafka broker runs inside the launcher's JVM and is reported as "launcher". The load clients are curl loops
# (their own CPU is not counted). On a shared machine compare two runs taken back to back, not absolute values.
# STREAM=true asks for streamed answers (SSE, read to the end) in the warm-up and the measured window.
# PLATFORM_PID=<launcher pid> counts only that launcher and the services it started (other platforms on the machine,
# another helper's for example, are left out); without it every platform JVM on the machine is counted.
set -euo pipefail

warm=${1:-90}; window=${2:-60}; clients=${3:-2}; sequential=${4:-300}
for n in "$warm" "$window" "$clients" "$sequential"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "arguments are whole numbers: warm-seconds measure-seconds clients sequential" >&2; exit 2; }
done
(( window >= 10 )) || { echo "measure for at least 10 seconds" >&2; exit 2; }
(( clients >= 1 && clients <= 64 )) || { echo "clients: 1 to 64" >&2; exit 2; }
gateway=${GATEWAY_URL:-http://127.0.0.1:8080}
simulator=${SIMULATOR_URL:-http://127.0.0.1:8090}
key=${API_KEY:-demo-local-key}
# MAX_TOKENS caps each answer as the load kit's requests do (its -DmaxTokens, 64 by default); unset, the simulator
# writes its whole grounded answer (about 170 tokens), which costs more per request than the kit's sweep asks for
limit=
if [[ -n "${MAX_TOKENS:-}" ]]; then
  [[ "$MAX_TOKENS" =~ ^[1-9][0-9]*$ ]] || { echo "MAX_TOKENS is a whole number above 0" >&2; exit 2; }
  limit="\"max_tokens\":$MAX_TOKENS,"
fi
question='{"model":"sim-small",'$limit'"messages":[{"role":"user","content":"How does retrieval rank passages?"}]}'
case ${STREAM:-false} in
  true) loaded='{"model":"sim-small","stream":true,'$limit'"messages":[{"role":"user","content":"How does retrieval rank passages?"}]}' ;;
  false) loaded=$question ;;
  *) echo "STREAM is true or false" >&2; exit 2 ;;
esac
curl -s -o /dev/null --max-time 5 "$gateway/v1/models" -H "Authorization: Bearer $key" \
  || { echo "no gateway answers at $gateway: start ./platform.sh first" >&2; exit 1; }
if [[ -n "${PLATFORM_PID:-}" ]]; then
  [[ "$PLATFORM_PID" =~ ^[0-9]+$ && -d /proc/$PLATFORM_PID ]] || { echo "PLATFORM_PID $PLATFORM_PID: not the id of a running process (the launcher's)" >&2; exit 2; }
fi
tick_hz=$(getconf CLK_TCK)

# the processes to read: PLATFORM_PID and its descendants, or every java process
candidates() {
  if [[ -z "${PLATFORM_PID:-}" ]]; then pgrep -f 'java' || true; return; fi
  local tree=("$PLATFORM_PID") i=0
  while (( i < ${#tree[@]} )); do
    tree+=($(pgrep -P "${tree[i]}" || true)); i=$((i + 1))
  done
  printf '%s\n' "${tree[@]}"
}

# "service ticks" for every platform JVM, the service named by its jar
snapshot() {
  for pid in $(candidates); do
    cmd=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null) || continue
    # a runnable jar (the launcher, a service started by hand) or a service the launcher unpacked (apps/<name>/)
    svc=$(grep -oE '(gateway|orchestrator|retrieval|guardrails|tools-agent|evaluation|llm-simulator|launcher)-[0-9][^ ]*\.jar|apps/[a-z-]+/application\.jar' \
      <<< "$cmd" | head -1 | sed -E 's#^apps/##; s#/application\.jar$##; s/-[0-9].*//') || true
    [[ -z "$svc" ]] && continue
    # utime and stime are fields 14 and 15, counted after the thread's name, which may hold spaces ("C2 CompilerThre")
    cat /proc/$pid/task/*/stat 2>/dev/null | sed 's/^.*) //' | awk -v s="$svc" '{t += $12 + $13} END {print s, t}'
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}

# clients curl loops for the given seconds; prints one status code per request
drive() {
  local until=$(( $(date +%s) + $1 ))
  for _ in $(seq 1 "$clients"); do
    ( while (( $(date +%s) < until )); do
        curl -s -N -o /dev/null -w '%{http_code}\n' "$gateway/v1/chat/completions" -H "Authorization: Bearer $key" \
          -H 'Content-Type: application/json' -H 'Cache-Control: no-cache' -d "$loaded"
      done ) &
  done
  wait
}

percentile() { sort -n | awk -v p="$1" '{v[NR] = $1} END {i = int(NR * p / 100); if (i < 1) i = 1; printf "%.1f", v[i] * 1000}'; }
mean() { awk '{t += $1} END {printf "%.1f", t * 1000 / NR}'; }

echo "warming for ${warm} s with $clients clients..."
drive "$warm" > /dev/null
before=$(snapshot)
echo "measuring for ${window} s..."
codes=$(drive "$window")
after=$(snapshot)
ok=$(grep -c '^200$' <<< "$codes" || true)
(( ok > 0 )) || { echo "no request answered 200 in the window: $(sort <<< "$codes" | uniq -c | tr '\n' ' ')" >&2; exit 1; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); streamed ${STREAM:-false}; $ok answers 200 ($(grep -vc '^200$' <<< "$codes" || true) others), $(awk -v n="$ok" -v s="$window" 'BEGIN {printf "%.1f", n / s}') requests/s"
join <(echo "$before") <(echo "$after") | awk -v n="$ok" -v hz="$tick_hz" \
  '{d = ($3 - $2) * 1000 / hz; t += d; printf "  %-14s %7.1f ms CPU per request\n", $1, d / n} END {printf "  %-14s %7.1f ms CPU per request\n", "all", t / n}'

through=$(for _ in $(seq 1 "$sequential"); do
  curl -s -o /dev/null -w '%{time_total}\n' "$gateway/v1/chat/completions" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -H 'Cache-Control: no-cache' -d "$question"; done)
direct=$(for _ in $(seq 1 "$sequential"); do
  curl -s -o /dev/null -w '%{time_total}\n' "$simulator/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"model":"sim-small","messages":[{"role":"system","content":"Answer from the passages."},{"role":"user","content":"How does retrieval rank passages?"}]}'; done)
echo "sequential, $sequential each: through the gateway p50 $(percentile 50 <<< "$through") / p99 $(percentile 99 <<< "$through") ms (mean $(mean <<< "$through"));" \
  "the simulator directly p50 $(percentile 50 <<< "$direct") / p99 $(percentile 99 <<< "$direct") ms"
