#!/usr/bin/env bash
# The whole system as a user starts it: times `dotnet run --project Fer.AppHost` (build included) until the gateway is
# healthy and until a /predict through it is answered, sums the memory of every process it started after IDLE seconds
# of idling (resident, RSS, and proportional, PSS: RSS counts the pages processes share, such as DCP's and .NET's code,
# once per process; PSS splits them), then times Ctrl+C (SIGINT) until none of those processes is left, saying when
# each one went.
#
#   Fer.Benchmarks/SystemStartup.sh [IDLE_SECONDS=60] [GATEWAY=http://localhost:8080]
#
# Run it from the repository root, with nothing listening on the gateway's port. The processes are found by a marker
# variable in their environment (DCP passes the AppHost's environment on to every resource). Settings reach the
# AppHost through the environment as usual (Fer__Redis=garnet picks the Redis).
set -uo pipefail
idle=${1:-60}
gateway=${2:-http://localhost:8080}
marker="fer-startup-$$"
image=$(find ../shared/data/fer2013/test/happy -name '*.jpg' | sort | head -1)
log=$(mktemp /tmp/fer-startup-XXXX.log)
[ -n "$image" ] || { echo "no FER2013 test image under ../shared/data/fer2013" >&2; exit 1; }
if curl -s -o /dev/null "$gateway/health"; then echo "something already answers at $gateway" >&2; exit 1; fi

seconds_since() { awk -v now="$(date +%s.%N)" -v then="$1" 'BEGIN { printf "%.1f", now - then }'; }
# The processes whose environment carries the marker, and their children (redis-server overwrites its environment
# with its process title).
marked() {
    local pids=() dir
    for dir in /proc/[0-9]*; do
        if grep -qxz "FER_STARTUP_MARKER=$marker" "$dir/environ" 2>/dev/null; then pids+=("${dir#/proc/}"); fi
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    printf '%s\n' "${pids[@]}"
    ps -o pid= --ppid "$(IFS=,; echo "${pids[*]}")" | tr -d ' ' | grep -vxF -f <(printf '%s\n' "${pids[@]}") || true
}

start=$(date +%s.%N)
# Job control: the AppHost gets a process group of its own, which Ctrl+C in a terminal signals as a whole; and SIGINT
# is not ignored in it (a script's background jobs otherwise inherit it ignored).
set -m
FER_STARTUP_MARKER=$marker env --default-signal=INT dotnet run --project Fer.AppHost > "$log" 2>&1 &
apphost=$!
set +m
until curl -sf -o /dev/null "$gateway/health"; do
    kill -0 $apphost 2>/dev/null || { echo "the AppHost exited; its log: $log" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.5
done
echo "gateway healthy after $(seconds_since "$start") s"
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: image/jpeg' --data-binary @"$image" "$gateway/predict")" = 200 ]; do
    sleep 0.5
done
echo "/predict through the gateway answered after $(seconds_since "$start") s"

sleep "$idle"
total=0
proportional=0
count=0
declare -A names
for pid in $(marked); do
    read -r rss pss < <(awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { print r, p }' "/proc/$pid/smaps_rollup" 2>/dev/null) || continue
    [ -n "$rss" ] || continue
    names[$pid]=$(cat "/proc/$pid/comm")
    printf '  %-16s %5d MiB RSS %5d MiB PSS  %s\n' "${names[$pid]}" $((rss / 1024)) $((pss / 1024)) "$(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -c1-80)"
    total=$((total + rss))
    proportional=$((proportional + pss))
    count=$((count + 1))
done
echo "memory after ${idle} s idle: $((total / 1024)) MiB resident (RSS), $((proportional / 1024)) MiB proportional (PSS), over $count processes"

stop=$(date +%s.%N)
kill -INT -- -$apphost
declare -A gone
while :; do
    left=$(marked)
    for pid in "${!names[@]}"; do
        if [ -z "${gone[$pid]:-}" ] && ! grep -qx "$pid" <<< "$left"; then gone[$pid]=1; echo "  $(seconds_since "$stop") s: ${names[$pid]} ($pid) gone"; fi
    done
    [ -n "$left" ] || break
    if awk -v waited="$(seconds_since "$stop")" 'BEGIN { exit !(waited > 120) }'; then echo "processes left 120 s after Ctrl+C: $left" >&2; exit 1; fi
    sleep 0.1
done
echo "Ctrl+C: no process left after $(seconds_since "$stop") s (log: $log)"
