#!/usr/bin/env bash
# Runs the project's Postgres tests through a throwaway PgBouncer that uses the production
# settings of infra/pgbouncer/pgbouncer.ini (transaction pooling, pool sizes, ignored startup
# parameters), in front of the local Postgres (127.0.0.1:5432, trust auth, database `test`).
#
#   infra/pgbouncer/run-tests-through-pgbouncer.sh      (after `npm run build`)
#
# The tests create scratch databases with `create database` through TEST_DATABASE_URL and then
# connect to them. That works through PgBouncer with a `*` fallback entry: any database name
# not listed is routed to the Postgres of the same name, and CREATE/DROP DATABASE run in
# autocommit, which transaction pooling allows. The script checks this itself before the tests.
#
# Some tests check behaviour that transaction pooling changes on purpose; they are expected to
# fail here and are listed below with the reason. Any other failure fails the script, and so
# does a test file that does not run. Everything started here listens on loopback only and is
# stopped on exit; the scratch database made here is dropped.
set -euo pipefail

cd "$(dirname "$0")/../.."
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres

# Test name -> why it cannot pass through PgBouncer in transaction mode.
declare -A EXPECTED_FAILURES=(
  ['several processes migrating a fresh database at once apply it once']='kysely takes its migration lock with pg_advisory_lock, a session-level lock, and migrates in a later transaction. Through a transaction pool the lock is not held across the two (pgbouncer.ini resets each server connection, so it is released at once), and concurrent first migrations race. Migrate through the session-mode entry (hamdam_session) or directly.'
  ['concurrent first runs apply the schema exactly once']='same cause: concurrent migrations are not serialised through a transaction pool.'
  ['migrateToLatest waits for the migration lock']='same cause: the lock a client holds through a transaction pool is released when its statement ends, so nothing waits for it.'
  ['a statement over statement_timeout is cancelled']='statement_timeout is a startup parameter, which PgBouncer accepts and ignores (ignore_startup_parameters). Set it on the role.'
  ['session settings reach the server']='same cause: statement_timeout and idle_in_transaction_session_timeout are ignored at login; they come from the role.'
  ['a connection killed while idle is reported, not fatal']='an idle client holds no server connection in transaction mode, so a killed server connection is replaced without the client noticing: pooling working as designed.'
)
# Suites that fail only because an expected failure is inside them.
SUITES_OF_EXPECTED=('postgres specifics' 'repository contract on postgres')

for bin in pgbouncer psql pg_isready; do
  command -v "$bin" >/dev/null || {
    echo "run-tests-through-pgbouncer: $bin not found (apt-get install pgbouncer postgresql-client)" >&2
    exit 1
  }
done
pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || {
  echo "run-tests-through-pgbouncer: no Postgres on $PG_HOST:$PG_PORT" >&2
  exit 1
}

# The Postgres test files: compiled tests of packages/db and apps/bot whose names say postgres
# or integration (the filters scripts/run-tests.mjs takes).
mapfile -t test_files < <(find packages/db/dist apps/bot/dist -name '*.test.js' \
  \( -name '*postgres*' -o -name '*integration*' \) 2>/dev/null | sort)
if ((${#test_files[@]} == 0)); then
  echo "run-tests-through-pgbouncer: no compiled Postgres tests: run \`npm run build\` first" >&2
  exit 1
fi

scratch="$(mktemp -d)"
pgb_pid=''
probe_db="hamdam_pgb_$$_${RANDOM}"
probe_created=''
cleanup() {
  if [[ -n "$pgb_pid" ]] && kill -0 "$pgb_pid" 2>/dev/null; then
    kill -INT "$pgb_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pgb_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pgb_pid" 2>/dev/null || true
  fi
  if [[ -n "$probe_created" ]]; then
    psql -qAtX -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d test \
      -c "drop database if exists $probe_db with (force)" >/dev/null 2>&1 || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# A free loopback port.
port=''
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port="$candidate"
    break
  fi
done
[[ -n "$port" ]] || { echo "run-tests-through-pgbouncer: no free port" >&2; exit 1; }

# The production file, with what differs for this throwaway instance: the `*` fallback for the
# tests' scratch databases and a session-mode entry for the probe below in [databases]; loopback
# port, trust auth like the local Postgres, and files in the scratch directory appended to
# [pgbouncer], where a later line overrides an earlier one. (A second [pgbouncer] header would
# not do: PgBouncer 1.18 starts that section again from the defaults, %include or not.)
production=infra/pgbouncer/pgbouncer.ini
last_section="$(grep -E '^\[[a-z]+\]' "$production" | tail -n 1)"
[[ "$last_section" == '[pgbouncer]' ]] || {
  echo "run-tests-through-pgbouncer: $production must end with its [pgbouncer] section" >&2
  exit 1
}
printf '"%s" ""\n' "$PG_USER" >"$scratch/userlist.txt"
{
  sed "/^\[databases\]/a * = host=$PG_HOST port=$PG_PORT\\
$probe_db = host=$PG_HOST port=$PG_PORT dbname=$probe_db pool_mode=session pool_size=2" "$production"
  cat <<EOF

;; --- throwaway instance for run-tests-through-pgbouncer.sh ---
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $scratch/userlist.txt
admin_users = $PG_USER
stats_users = $PG_USER
logfile = $scratch/pgbouncer.log
pidfile = $scratch/pgbouncer.pid
log_connections = 0
log_disconnections = 0
EOF
} >"$scratch/pgbouncer.ini"

# PgBouncer refuses to run as root; run it as the postgres user (or nobody) then.
run_as=()
if ((EUID == 0)); then
  user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  chown -R "$user" "$scratch"
  run_as=(-u "$user")
fi
pgbouncer "${run_as[@]}" "$scratch/pgbouncer.ini" >>"$scratch/pgbouncer.stderr" 2>&1 &
pgb_pid=$!
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  if ! kill -0 "$pgb_pid" 2>/dev/null; then
    echo "run-tests-through-pgbouncer: pgbouncer did not start:" >&2
    cat "$scratch/pgbouncer.stderr" "$scratch/pgbouncer.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "run-tests-through-pgbouncer: pgbouncer not ready" >&2; exit 1; }

via_pgb() { psql -qAtX -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$PG_USER" "$@"; }

# 1. The settings in force are the production file's.
mode="$(via_pgb -d pgbouncer -c 'show config' | awk -F'|' '$1 == "pool_mode" { print $2 }')"
[[ "$mode" == transaction ]] || { echo "run-tests-through-pgbouncer: pool_mode is '$mode'" >&2; exit 1; }
echo "run-tests-through-pgbouncer: pgbouncer $(pgbouncer --version | head -n 1 | awk '{print $2}') on 127.0.0.1:$port, pool_mode=$mode"

# 2. What the tests do to get a scratch database: create it through PgBouncer, reach it through
#    the fallback entry, drop it. Here the database has its own session-mode entry, which is
#    also how migrations should connect: `npm run migrate` must work through it.
via_pgb -d test -c "create database $probe_db"
probe_created=yes
[[ "$(via_pgb -d "$probe_db" -c 'select current_database()')" == "$probe_db" ]]
DATABASE_URL="postgres://$PG_USER@127.0.0.1:$port/$probe_db" LOG_LEVEL=silent \
  node apps/bot/dist/migrate.js
tables="$(via_pgb -d "$probe_db" -c "select count(*) from information_schema.tables where table_schema = 'public' and table_name in ('users','chats','reports','blocks')")"
[[ "$tables" == 4 ]] || { echo "run-tests-through-pgbouncer: migration through PgBouncer left $tables of 4 tables" >&2; exit 1; }
# Close PgBouncer's server connections to it (it is in session mode; DROP … WITH (FORCE) would
# also do), then drop it through PgBouncer like the tests do.
via_pgb -d pgbouncer -c "kill $probe_db" >/dev/null
via_pgb -d test -c "drop database $probe_db with (force)"
probe_created=''
echo "run-tests-through-pgbouncer: create database, fallback entry, migration (session mode), drop database: ok"

# 3. The Postgres tests, with TEST_DATABASE_URL pointing at PgBouncer.
echo "run-tests-through-pgbouncer: ${#test_files[@]} test files: ${test_files[*]}"
set +e
TEST_DATABASE_URL="postgres://$PG_USER@127.0.0.1:$port/test" \
  timeout 300 node scripts/run-tests.mjs "${test_files[@]}" >"$scratch/tests.tap" 2>&1
status=$?
set -e
if ((status == 124)); then
  tail -n 40 "$scratch/tests.tap"
  echo "run-tests-through-pgbouncer: the tests did not finish in 300 s" >&2
  exit 1
fi

# TAP: every `not ok N - name`, at any depth, is a failing test or suite.
mapfile -t failed < <(sed -n 's/^ *not ok [0-9]* - //p' "$scratch/tests.tap" | sed 's/ # .*$//' | sort -u)
unexpected=()
seen_expected=()
for name in "${failed[@]}"; do
  if [[ -n "${EXPECTED_FAILURES[$name]+x}" ]]; then
    seen_expected+=("$name")
  elif printf '%s\n' "${SUITES_OF_EXPECTED[@]}" | grep -qxF -- "$name"; then
    :
  else
    unexpected+=("$name")
  fi
done
summary="$(grep -E '^# (tests|pass|fail|cancelled|skipped) ' "$scratch/tests.tap" | tr '\n' ' ')"
echo "run-tests-through-pgbouncer: $summary"
cancelled="$(sed -n 's/^# cancelled //p' "$scratch/tests.tap" | tail -n 1)"
passed="$(sed -n 's/^# pass //p' "$scratch/tests.tap" | tail -n 1)"

for name in "${seen_expected[@]}"; do
  echo "  expected under transaction pooling: \"$name\": ${EXPECTED_FAILURES[$name]}"
done
for name in "${!EXPECTED_FAILURES[@]}"; do
  printf '%s\n' "${seen_expected[@]}" | grep -qxF -- "$name" ||
    echo "  note: \"$name\" passed (or did not run); its entry here may be stale"
done

if ((${#unexpected[@]} > 0)) || [[ "${cancelled:-1}" != 0 ]] || [[ -z "$passed" ]] || ((passed == 0)); then
  for name in "${unexpected[@]}"; do echo "  UNEXPECTED FAILURE: $name" >&2; done
  grep -B2 -A25 '^ *not ok' "$scratch/tests.tap" | head -n 200 >&2 || true
  # Named again last: infra/check.sh shows only the tail of this output.
  for name in "${unexpected[@]}"; do echo "  UNEXPECTED FAILURE: $name" >&2; done
  [[ "${cancelled:-1}" == 0 ]] || echo "  cancelled: ${cancelled:-none reported}" >&2
  echo "run-tests-through-pgbouncer: FAIL (exit $status)" >&2
  exit 1
fi
if ((status != 0 && ${#seen_expected[@]} == 0)); then
  tail -n 40 "$scratch/tests.tap" >&2
  echo "run-tests-through-pgbouncer: FAIL: the test run exited $status without a failing test" >&2
  exit 1
fi
echo "run-tests-through-pgbouncer: ok ($passed passed through PgBouncer, ${#seen_expected[@]} expected failures)"
