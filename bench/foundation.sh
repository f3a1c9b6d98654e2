#!/usr/bin/env bash
# The foundation's performance figures (docs/benchmarks.md): start-up time,
# idle memory, home-page throughput, and /healthz latency while 200 clients
# log in at once. Needs wrk and curl; run on a quiet machine:
#   cargo build --release && bash bench/foundation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HEARTH_BIN:-target/release/hearth}
PORT=${PORT:-18181}
BASE="http://127.0.0.1:$PORT"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }
wait_healthy() { until curl -sf "$BASE/healthz" >/dev/null 2>&1; do sleep 0.002; done; }

echo "## start-up: fresh SQLite database to a healthy /healthz (20 runs)"
times=()
for i in $(seq 1 20); do
  dir="$work/start-$i"
  t0=$(now_ms)
  "$BIN" --data-dir "$dir" --bind "127.0.0.1:$PORT" >/dev/null 2>&1 &
  pid=$!
  wait_healthy
  times+=($(( $(now_ms) - t0 )))
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "min %d ms, median %d ms, max %d ms\n", a[1], a[int((NR+1)/2)], a[NR]}'

echo
echo "## idle memory"
cat > "$work/bench.toml" <<TOML
[limits]
login_attempts_per_client = 100000000
login_failures_per_handle = 100000000
registrations_per_client_per_hour = 100000000
writes_per_account_per_minute = 100000000
writes_per_client_per_minute = 100000000
newcomer_post_interval_secs = 0
TOML
"$BIN" --data-dir "$work/main" --bind "127.0.0.1:$PORT" --config "$work/bench.toml" >/dev/null 2>&1 &
pid=$!
wait_healthy
for p in / /help /register /login; do curl -s "$BASE$p" >/dev/null; done
sleep 1
grep VmRSS "/proc/$pid/status"

echo
echo "## home page, wrk -t2 -c64 -d15s"
wrk -t2 -c64 -d15s --latency "$BASE/" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"

echo
echo "## /healthz latency while 200 clients log in (Argon2id, 1 hash at a time)"
curl -s -o /dev/null -w "register: %{http_code}\n" -X POST "$BASE/api/v1/accounts" \
  -H 'content-type: application/json' \
  -d '{"handle":"bench_member","password":"lantern orchard mosaic tide","age_bracket":"18+"}'
wrk -t1 -c200 -d20s --timeout 30s -s bench/login.lua "$BASE/api/v1/sessions" > "$work/logins.txt" &
sleep 3
wrk -t1 -c4 -d15s --latency "$BASE/healthz" | grep -E "Requests/sec|Latency|50%|90%|99%"
wait %2 2>/dev/null || sleep 4
echo "logins:"; grep -E "Requests/sec|requests in|Non-2xx" "$work/logins.txt"
grep VmRSS "/proc/$pid/status"
