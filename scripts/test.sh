#!/usr/bin/env bash
# The project's test command. On a fresh Debian machine it installs what the tests need
# (PostgreSQL, Chromium and its driver, Chinese fonts), starts a throwaway PostgreSQL cluster
# with data checksums and a ChromeDriver, runs every suite on SQLite and on PostgreSQL, and
# stops both at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

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
cargo build --locked --quiet --bin ronghe
API_PORT=$((50000 + RANDOM % 4000))
RONGHE_LOG=warn ./target/debug/ronghe demo --listen "127.0.0.1:$API_PORT" --data-dir "$WORK/api-demo" >"$WORK/api-demo.log" 2>&1 &
API_PID=$!
TOKEN=$(API_PORT=$API_PORT python3 - <<'PY'
import json, os, time, urllib.request
base = "http://127.0.0.1:%s" % os.environ["API_PORT"]
for _ in range(300):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2)
        break
    except Exception:
        time.sleep(0.5)
req = urllib.request.Request(base + "/api/v1/session", method="POST",
    data=json.dumps({"username": "zhibu", "password": "Demo@2026"}).encode(),
    headers={"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=30))["token"])
PY
)
echo "== schemathesis $SCHEMATHESIS against /api/openapi.json"
# Real ids of the demo for the path parameters, so {id} operations reach their validation.
python3 scripts/schemathesis_ids.py "http://127.0.0.1:$API_PORT" "$TOKEN" "$WORK/schemathesis.toml"
set +e
"$ST" --config-file "$WORK/schemathesis.toml" run "http://127.0.0.1:$API_PORT/api/openapi.json" -H "Authorization: Bearer $TOKEN" \
  -c not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,ignored_auth \
  -n 30 --generation-deterministic --request-timeout 30 --exclude-path /api/v1/session \
  --no-color >"$WORK/schemathesis.log" 2>&1
ST_RC=$?
set -e
sed -n '/SUMMARY/,$p' "$WORK/schemathesis.log"
if [ "$ST_RC" != 0 ]; then
  cat "$WORK/schemathesis.log"
fi
ST_CASES=$(grep -oE '[0-9]+ generated' "$WORK/schemathesis.log" | grep -oE '[0-9]+' | tail -n 1)
ST_PASSED=$(grep -oE '[0-9]+ passed' "$WORK/schemathesis.log" | grep -oE '[0-9]+' | tail -n 1)
ST_FAILED=$(( ${ST_CASES:-0} - ${ST_PASSED:-0} ))
[ "$ST_RC" != 0 ] && [ "$ST_FAILED" -le 0 ] && ST_FAILED=1

awk -v sp="${ST_PASSED:-0}" -v sf="$ST_FAILED" '/^test result:/ { p += $4; f += $6; s += $8 } END { printf "%d passed, %d failed, %d skipped\n", p + sp, f + sf, s }' "$WORK/test.log"
exit "$ST_RC"
