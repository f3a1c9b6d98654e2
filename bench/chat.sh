#!/usr/bin/env bash
# Issue 4's figures (docs/benchmarks.md): a chat room's fan-out measured by
# hearth-loadgen against Hearth on SQLite, on PostgreSQL with two nodes
# joined by NATS, and against a minimal broadcast server (no storage, no
# auth) as the ceiling; then 10,000 idle connections for memory.
#   cargo build --release && bash bench/chat.sh
# Two nodes on PostgreSQL need BENCH_PG (an empty database it may wipe) and
# BENCH_NATS, e.g.
#   BENCH_PG=postgres://hearth:hearth@127.0.0.1:5432/hearth_bench BENCH_NATS=nats://127.0.0.1:4222
# SWEEP="5 10 20 40" sets the per-sender rates of the capacity sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HEARTH_BIN:-target/release/hearth}
LOADGEN=${LOADGEN_BIN:-target/release/hearth-loadgen}
SWEEP=${SWEEP:-"5 10 15 20 30 40"}
IDLE=${IDLE:-10000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
# The benchmark's senders go faster than a member may (2 a second after a
# burst of 10): the limit is raised for them, and only for them.
cat > "$work/bench.toml" <<'TOML'
[limits]
chat_burst = 100000
chat_per_second = 100000.0
writes_per_account_per_minute = 100000000
writes_per_client_per_minute = 100000000
# Every simulated member connects from this one machine.
connections_per_address = 0
max_connections = 100000
TOML

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_up() { until curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; do sleep 0.05; done; }
wait_port() { until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do sleep 0.05; done; }

# workload NAME URLS… : the two workloads of the issue, then the sweep.
workloads() {
  local name=$1; shift
  local urls=() seedarg=()
  for u in "$@"; do
    if [[ $u == seed=* ]]; then seedarg=(--seed "${u#seed=}"); else urls+=(--url "$u"); fi
  done
  echo "### $name: M=50, S=5, 10 msg/s each (200 each)"
  "$LOADGEN" room "${urls[@]}" "${seedarg[@]}" --members 50 --senders 5 --rate 10 --messages 200
  echo "### $name: M=200, S=20, 5 msg/s each (100 each)"
  "$LOADGEN" room "${urls[@]}" "${seedarg[@]}" --members 200 --senders 20 --rate 5 --messages 100
  echo "### $name: capacity sweep, M=200, S=20, 10 s at each rate per sender"
  for rate in $SWEEP; do
    printf 'rate %s/s per sender (%s msg/s offered): ' "$rate" "$((rate * 20))"
    "$LOADGEN" room "${urls[@]}" "${seedarg[@]}" --members 200 --senders 20 --rate "$rate" --messages "$((rate * 10))" |
      python3 bench/chat_summary.py
  done
}

if [ -z "${SKIP_CEILING:-}" ]; then
  echo "## ceiling: the minimal broadcast server"
  "$LOADGEN" broadcast --bind 127.0.0.1:18400 2>/dev/null &
  bpid=$!
  wait_port 18400
  workloads broadcast ws://127.0.0.1:18400/live
  kill "$bpid"; wait "$bpid" 2>/dev/null || true
fi

echo
echo "## Hearth on SQLite, one node"
"$BIN" --data-dir "$work/sqlite" --config "$work/bench.toml" dev chat-seed --members 200 > "$work/seed.json"
"$BIN" --data-dir "$work/sqlite" --config "$work/bench.toml" --bind 127.0.0.1:18401 >/dev/null 2>&1 &
hpid=$!
wait_up 18401
workloads sqlite ws://127.0.0.1:18401/live "seed=$work/seed.json"
echo "### messages stored: $(sqlite3 "$work/sqlite/hearth.db" 'SELECT COUNT(*) FROM messages' 2>/dev/null || echo '(sqlite3 not installed)')"

echo
echo "## $IDLE idle connections, each subscribed to the room (server RSS)"
before=$(rss_kb "$hpid")
"$LOADGEN" idle --url ws://127.0.0.1:18401/live --seed "$work/seed.json" --connections "$IDLE" --hold 25 &
lpid=$!
sleep 22
during=$(rss_kb "$hpid")
wait "$lpid"
echo "hearth RSS before ${before} KB, with $IDLE connections ${during} KB: $(( (during - before) * 1024 / IDLE )) bytes per connection"
kill "$hpid"; wait "$hpid" 2>/dev/null || true
"$LOADGEN" broadcast --bind 127.0.0.1:18400 2>/dev/null &
bpid=$!
wait_port 18400
before=$(rss_kb "$bpid")
"$LOADGEN" idle --url ws://127.0.0.1:18400/live --connections "$IDLE" --hold 25 >/dev/null &
lpid=$!
sleep 22
during=$(rss_kb "$bpid")
wait "$lpid"
echo "broadcast server RSS before ${before} KB, with $IDLE connections ${during} KB: $(( (during - before) * 1024 / IDLE )) bytes per connection"
kill "$bpid"; wait "$bpid" 2>/dev/null || true

if [ -n "${BENCH_PG:-}" ] && [ -n "${BENCH_NATS:-}" ]; then
  echo
  echo "## Hearth on PostgreSQL, two nodes joined by NATS (members alternate between them)"
  PGOPTIONS='-c client_min_messages=warning' psql "$BENCH_PG" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'
  "$BIN" --data-dir "$work/pg-a" --database-url "$BENCH_PG" --config "$work/bench.toml" dev chat-seed --members 200 > "$work/seed-pg.json"
  cp "$work/pg-a/secret.key" "$work/pg-b-secret.key" 2>/dev/null || true
  mkdir -p "$work/pg-b"; cp -r "$work/pg-a/." "$work/pg-b/"
  for port in 18402 18403; do
    dir="$work/pg-a"; [ "$port" = 18403 ] && dir="$work/pg-b"
    "$BIN" --data-dir "$dir" --database-url "$BENCH_PG" --bus "$BENCH_NATS" --config "$work/bench.toml" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  done
  wait_up 18402; wait_up 18403
  workloads "postgres+nats, 2 nodes" ws://127.0.0.1:18402/live ws://127.0.0.1:18403/live "seed=$work/seed-pg.json"
fi
