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
awk '/^test result:/ { p += $4; f += $6; s += $8 } END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$WORK/test.log"
