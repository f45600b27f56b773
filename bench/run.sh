#!/usr/bin/env bash
# Province-scale benchmark. Prints its figures; asserts nothing.
#   bash bench/run.sh [small|county|province] [YEAR]     (default: province, the current year)
#   BENCH_DATA=/tmp/ronghe-bench.XXXX bash bench/run.sh   (measure an already generated directory)
# Builds the release binary, makes the demo database, grows it with `ronghe gen` (a tree, then a
# year of plans and meetings), times the whole-province compliance report, serves it, and
# measures with wrk at 64 connections: an organization page, the first page of a branch's
# member list, the secretary's 待办 and plan page (with server CPU per request), beside nginx
# serving a static copy of the organization page on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${1:-province}
YEAR=${2:-$(date +%Y)}
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light curl >/dev/null; break; }
done
cargo build --release -q
BIN=$PWD/target/release/ronghe
# BENCH_DATA=DIR reuses a directory a previous run generated (its demo.db), skipping step 1.
OUT=${BENCH_DATA:-$(mktemp -d /tmp/ronghe-bench.XXXXXX)}
PORT=18080
NGINX_PORT=18081
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; [ -f "$OUT/nginx.pid" ] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null; true; }
trap cleanup EXIT
wait_up() { for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done; echo "server did not start"; exit 1; }

# 1. Demo data (for the accounts), then the synthetic province on top of it.
export RONGHE_DATA_DIR=$OUT RONGHE_DATABASE_URL="sqlite://$OUT/demo.db" RONGHE_LISTEN=127.0.0.1:$PORT
if [ -z "${BENCH_DATA:-}" ]; then
"$BIN" demo --listen 127.0.0.1:$PORT --data-dir "$OUT" 2>"$OUT/demo.log" & SERVER=$!
wait_up; kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
start=$(date +%s.%N)
"$BIN" gen --preset "$PRESET" 2>"$OUT/gen.log"
gen_s=$(echo "$(date +%s.%N) - $start" | bc)
echo "gen --preset $PRESET: ${gen_s} s; $(tail -n 1 "$OUT/gen.log")"
start=$(date +%s.%N)
"$BIN" gen --year "$YEAR" --skip-tree 2>"$OUT/gen-year.log"
echo "gen --year $YEAR: $(echo "$(date +%s.%N) - $start" | bc) s; $(tail -n 1 "$OUT/gen-year.log")"
# A second, earlier year: the evaluation reads several years.
start=$(date +%s.%N)
"$BIN" gen --year "$((YEAR - 1))" --skip-tree 2>"$OUT/gen-year-prev.log"
echo "gen --year $((YEAR - 1)): $(echo "$(date +%s.%N) - $start" | bc) s; $(tail -n 1 "$OUT/gen-year-prev.log")"
fi
"$BIN" report compliance --year "$YEAR" | sed 's/^/  /'
# 同步考核 of the whole province: the run beside the bare aggregate of its input rows, saved.
"$BIN" report evaluation --year "$YEAR" --store | sed 's/^/  /' 
echo "SQLite file: $(du -h "$OUT/demo.db" | cut -f1)"

# 2. Serve it and log in as the demo system administrator (sees the whole tree).
"$BIN" serve 2>"$OUT/serve.log" & SERVER=$!
wait_up
TOKEN=$(curl -fs -X POST -H 'content-type: application/json' -d '{"username":"admin","password":"Demo@2026"}' \
  "http://127.0.0.1:$PORT/api/v1/session" | sed 's/.*"token":"\([^"]*\)".*/\1/')
COOKIE="ronghe_sid=$TOKEN"
# A generated branch, far from the demo data: a member from the middle of the list.
TOTAL=$(curl -fs -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/members" | sed 's/.*"total":\([0-9]*\).*/\1/')
PAGE=$(( (TOTAL < 10000 ? TOTAL : 10000) / 40 + 1 ))
ORG=$(curl -fs -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/members?page=$PAGE" | grep -o '"org_id":[0-9]*' | head -n 1 | cut -d: -f2)
echo "measured branch: /orgs/$ORG"

measure() { # name url [pid whose CPU time to count]
  local cpu0=0 cpu1=0
  # Warm up first (the pool opens its connections, statements are prepared, pages cached).
  wrk -t2 -c64 -d3s -H "Cookie: $COOKIE" "$2" >/dev/null
  [ -n "${3:-}" ] && cpu0=$(awk '{print $14+$15}' "/proc/$3/stat")
  wrk -t2 -c64 -d"${BENCH_SECONDS:-20}"s --latency -H "Cookie: $COOKIE" "$2" >"$OUT/$1.txt"
  [ -n "${3:-}" ] && cpu1=$(awk '{print $14+$15}' "/proc/$3/stat")
  local rps p50 p99 n bad cpu=""
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$1.txt")
  n=$(awk '/requests in/ {print $1}' "$OUT/$1.txt")
  bad=$(awk '/Non-2xx/ {print $NF}' "$OUT/$1.txt")
  # Clock ticks are 10 ms: server CPU milliseconds per answered request.
  [ -n "${3:-}" ] && cpu=", server CPU $(echo "scale=2; ($cpu1 - $cpu0) * 10 / $n" | bc) ms/request"
  echo "$1: ${rps} req/s, p50 ${p50}, p99 ${p99}${cpu}${bad:+, NON-2xx ANSWERS: $bad}" >&2
  echo "$rps"
}
org_rps=$(measure org-page "http://127.0.0.1:$PORT/orgs/$ORG" "$SERVER")
list_rps=$(measure member-list "http://127.0.0.1:$PORT/members?org=$ORG" "$SERVER")
# The branch secretary's pages: 待办 (home) and their plan, on the province-sized database.
ZTOKEN=$(curl -fs -X POST -H 'content-type: application/json' -d '{"username":"zhibu","password":"Demo@2026"}' \
  "http://127.0.0.1:$PORT/api/v1/session" | sed 's/.*"token":"\([^"]*\)".*/\1/')
PLAN=$(curl -fs -H "authorization: Bearer $ZTOKEN" "http://127.0.0.1:$PORT/api/v1/plans?year=$YEAR" | grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)
COOKIE="ronghe_sid=$ZTOKEN" measure todo-page "http://127.0.0.1:$PORT/" "$SERVER" >/dev/null
COOKIE="ronghe_sid=$ZTOKEN" measure plan-page "http://127.0.0.1:$PORT/plans/$PLAN" "$SERVER" >/dev/null
# A committee's dashboard (总览看板): the measured branch's committee above it, as admin.
PARENT=$(curl -fs -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/orgs/$ORG" | grep -o '"parent_id":[0-9]*' | head -n 1 | cut -d: -f2)
GRAND=$(curl -fs -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/orgs/$PARENT" | grep -o '"parent_id":[0-9]*' | head -n 1 | cut -d: -f2)
echo "dashboard of /orgs/$GRAND (the measured branch's committee's committee)"
measure dashboard "http://127.0.0.1:$PORT/orgs/$GRAND/dashboard?year=$YEAR" "$SERVER" >/dev/null
echo "server RSS after load: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$SERVER/status)"

# 3. nginx serving a static copy of the same organization page.
mkdir -p "$OUT/www"
# nginx's workers run as another user: let them read the copy (mktemp made the directory 0700).
chmod 755 "$OUT" "$OUT/www"
curl -fs -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/orgs/$ORG" >"$OUT/www/org.html"
chmod 644 "$OUT/www/org.html"
cat >"$OUT/nginx.conf" <<CONF
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$NGINX_PORT; root $OUT/www; } }
CONF
nginx -c "$OUT/nginx.conf"
sleep 0.5
static_rps=$(COOKIE= measure nginx-static "http://127.0.0.1:$NGINX_PORT/org.html")
echo "ratio org page / nginx static: $(echo "scale=3; $org_rps / $static_rps" | bc)"
echo "ratio member list / nginx static: $(echo "scale=3; $list_rps / $static_rps" | bc)"
