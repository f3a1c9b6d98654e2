#!/usr/bin/env bash
# Issue 3's figures (docs/benchmarks.md): the directory with filters, a
# group page and a thread page with 100 replies, next to /healthz as the
# ceiling, on a SQLite database seeded with `hearth dev seed` at full scale
# (200 groups, 20,000 members, 20,000 threads, 1,000,000 replies).
#   cargo build --release && bash bench/forum.sh
# SEED_DIR reuses a seeded data directory (seeding takes about two minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HEARTH_BIN:-target/release/hearth}
LOADGEN=${LOADGEN_BIN:-target/release/hearth-loadgen}
PORT=${PORT:-18300}
BASE="http://127.0.0.1:$PORT"
DIR=${SEED_DIR:-$(mktemp -d)/seeded}
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

if [ ! -f "$DIR/seeded.json" ]; then
  echo "## seeding $DIR"
  /usr/bin/time -f "seeded in %e s, peak RSS %M KB" "$BIN" dev seed --data-dir "$DIR" > "$DIR.json.tmp"
  mkdir -p "$DIR"; mv "$DIR.json.tmp" "$DIR/seeded.json"
fi
cat "$DIR/seeded.json"
handle=$(python3 -c "import json;print(json.load(open('$DIR/seeded.json'))['bench_handle'])")
group=$(python3 -c "import json;print(json.load(open('$DIR/seeded.json'))['bench_group'])")
thread=$(python3 -c "import json;print(json.load(open('$DIR/seeded.json'))['bench_thread'])")
password=$(python3 -c "import json;print(json.load(open('$DIR/seeded.json'))['password'])")

"$BIN" --data-dir "$DIR" --bind "127.0.0.1:$PORT" >/dev/null 2>&1 &
until curl -sf "$BASE/healthz" >/dev/null; do sleep 0.05; done
token=$(curl -sf -X POST -H 'content-type: application/json' \
  -d "{\"handle\":\"$handle\",\"password\":\"$password\"}" "$BASE/api/v1/sessions" |
  python3 -c "import json,sys;print(json.load(sys.stdin)['token'])")
auth="Authorization: Bearer $token"
size() { curl -s -o /dev/null -w '%{size_download}' -H "$auth" "$BASE$1"; }

declare -A urls=(
  [healthz]="/healthz"
  [directory]="/groups?condition=anxiety&language=en"
  [group]="/groups/$group"
  [thread]="/groups/$group/threads/$thread"
)
echo
echo "## most each page can do (wrk, 2 threads, 32 connections, 15 s; page bytes)"
for name in healthz directory group thread; do
  u=${urls[$name]}
  printf '%-10s %8s bytes  ' "$name" "$(size "$u")"
  wrk -t2 -c32 -d15s --latency -H "$auth" "$BASE$u" |
    awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%8.0f req/s  p50 %s  p99 %s\n", rps, p50, p99}'
done
echo
echo "## fixed rates (hearth-loadgen, open loop, 32 connections, 20 s after 3 s warm-up)"
for rate in 250 500 750; do
  for name in directory group thread; do
    u=${urls[$name]}
    printf '%-10s %4s req/s  ' "$name" "$rate"
    "$LOADGEN" http --url "$BASE$u" --rate "$rate" --duration 20 --connections 32 --header "$auth"
  done
done
