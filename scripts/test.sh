#!/usr/bin/env bash
# The project's test command. On a fresh Debian machine it installs what the tests need
# (PostgreSQL, Chromium and its driver, Chinese fonts), starts a throwaway PostgreSQL cluster
# with data checksums and a ChromeDriver, runs every suite on SQLite and on PostgreSQL, and
# stops both at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# One clean build: incremental caches would only add gigabytes to a CI machine's disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
echo "== disk: $(df -h --output=avail . | tail -n 1 | tr -d ' ') free"

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "wqy" || need+=(fonts-wqy-microhei)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if ((${#need[@]})); then
  echo "== installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d /tmp/ronghe-test.XXXXXX)
PGDATA="$WORK/pg"
PGPORT=$((55000 + RANDOM % 5000))
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: use an unprivileged account.
  id ronghe_pg >/dev/null 2>&1 || useradd --system --no-create-home ronghe_pg
  chown ronghe_pg "$WORK"
  as_pg() { runuser -u ronghe_pg -- "$@"; }
fi

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${DRIVER_PID:-}" ] && kill "$DRIVER_PID" 2>/dev/null || true
  [ -n "${API_PID:-}" ] && kill "$API_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PGPORT"
as_pg "$PGBIN/initdb" -D "$PGDATA" --data-checksums -A trust -U ronghe -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -w -l "$WORK/pg.log" \
  -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null

DRIVER_PORT=$((60000 + RANDOM % 5000))
chromedriver --port="$DRIVER_PORT" >"$WORK/chromedriver.log" 2>&1 &
DRIVER_PID=$!

export RONGHE_TEST_DATABASES=sqlite,postgres
export RONGHE_TEST_PG="postgres://ronghe@127.0.0.1:$PGPORT"
export RONGHE_TEST_PGDATA="$PGDATA"
export RONGHE_WEBDRIVER="http://127.0.0.1:$DRIVER_PORT"
export RONGHE_SCREENSHOTS="${RONGHE_SCREENSHOTS:-$PWD/target/screenshots}"

# Every suite, then one closing line with the totals (cargo's own last line is the doc tests').
cargo test --workspace --locked "$@" 2>&1 | tee "$WORK/test.log"

# The JSON API against its own OpenAPI document: schemathesis (PyPI, pinned) over every
# operation but the session's own (logging out would end the run's token), deterministic
# examples, on the demo served from SQLite. Its test cases join the totals.
SCHEMATHESIS=4.32.5
if ! python3 -c "import schemathesis, sys; sys.exit(schemathesis.__version__ != '$SCHEMATHESIS')" 2>/dev/null; then
  echo "== installing schemathesis $SCHEMATHESIS"
  python3 -m pip install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS" 2>&1 | grep -v "^WARNING: Running pip as" || true
fi
ST="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/st"
command -v st >/dev/null && ST=st
# The binary, with the tests' features (a plain `cargo build` would build the dependency graph
# a second time, minutes and gigabytes for nothing); `cargo test` alone leaves no
# target/debug/ronghe, this links it from what the tests built.
cargo build --workspace --tests --bins --locked --quiet
API_PORT=$((50000 + RANDOM % 4000))
RONGHE_LOG=warn ./target/debug/ronghe demo --listen "127.0.0.1:$API_PORT" --data-dir "$WORK/api-demo" >"$WORK/api-demo.log" 2>&1 &
API_PID=$!
token() { # username
API_PORT=$API_PORT API_USER=$1 python3 - <<'PY'
import json, os, time, urllib.request
base = "http://127.0.0.1:%s" % os.environ["API_PORT"]
for _ in range(300):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2)
        break
    except Exception:
        time.sleep(0.5)
req = urllib.request.Request(base + "/api/v1/session", method="POST",
    data=json.dumps({"username": os.environ["API_USER"], "password": "Demo@2026"}).encode(),
    headers={"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=30))["token"])
PY
}
st_run() { # token config-file log [extra args]
  local token=$1 config=$2 log=$3
  shift 3
  "$ST" --config-file "$config" run "http://127.0.0.1:$API_PORT/api/openapi.json" -H "Authorization: Bearer $token" \
    -c not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,ignored_auth \
    -n 30 --generation-deterministic --request-timeout 30 --exclude-path /api/v1/session \
    --no-color "$@" >"$log" 2>&1
}
TOKEN=$(token zhibu)
echo "== schemathesis $SCHEMATHESIS against /api/openapi.json"
# Real ids of the demo for the path parameters, so {id} operations reach their validation.
python3 scripts/schemathesis_ids.py "http://127.0.0.1:$API_PORT" "$TOKEN" "$WORK/schemathesis.toml"
set +e
st_run "$TOKEN" "$WORK/schemathesis.toml" "$WORK/schemathesis.log"
ST_RC=$?
# 同步考核 and the library's review again as a committee (the branch secretary is refused them).
CTOKEN=$(token dangwei)
python3 scripts/schemathesis_eval_ids.py "http://127.0.0.1:$API_PORT" "$CTOKEN" "$WORK/schemathesis-eval.toml"
st_run "$CTOKEN" "$WORK/schemathesis-eval.toml" "$WORK/schemathesis-eval.log" \
  --include-path-regex '^/api/v1/(orgs/\{id\}/(evaluation|integration)|evaluation/|library/(review|brands|cases/\{id\}/actions))'
ST_RC2=$?
set -e
for log in "$WORK/schemathesis.log" "$WORK/schemathesis-eval.log"; do
  sed -n '/SUMMARY/,$p' "$log"
done
if [ "$ST_RC" != 0 ]; then cat "$WORK/schemathesis.log"; fi
if [ "$ST_RC2" != 0 ]; then cat "$WORK/schemathesis-eval.log"; ST_RC=$ST_RC2; fi
st_count() { # word log: the last "N word" of a schemathesis summary, 0 without one
  local n
  n=$(grep -oE "[0-9]+ $1" "$2" | grep -oE '[0-9]+' | tail -n 1 || true)
  echo "${n:-0}"
}
ST_CASES=$(( $(st_count generated "$WORK/schemathesis.log") + $(st_count generated "$WORK/schemathesis-eval.log") ))
ST_PASSED=$(( $(st_count passed "$WORK/schemathesis.log") + $(st_count passed "$WORK/schemathesis-eval.log") ))
ST_FAILED=$(( ${ST_CASES:-0} - ${ST_PASSED:-0} ))
[ "$ST_RC" != 0 ] && [ "$ST_FAILED" -le 0 ] && ST_FAILED=1

awk -v sp="${ST_PASSED:-0}" -v sf="$ST_FAILED" '/^test result:/ { p += $4; f += $6; s += $8 } END { printf "%d passed, %d failed, %d skipped\n", p + sp, f + sf, s }' "$WORK/test.log"
exit "$ST_RC"
