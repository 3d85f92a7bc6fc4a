#!/usr/bin/env bash
# Starts a throwaway Postgres cluster on loopback with hamdam.conf and pg_hba.conf.sample and
# checks them: every setting is accepted, the server starts with them (shared_buffers shrunk to
# fit a CI machine), a SCRAM password over TCP gets in and a wrong one does not, and the
# statement_timeout set on the role is what the application's sessions get. CI runs it
# (infra/check.sh). Needs the Postgres server binaries (Debian's postgresql) and openssl.
set -euo pipefail

cd "$(dirname "$0")"
bin="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
[[ -x "$bin/initdb" ]] || { echo "check-postgres-config: no Postgres server binaries" >&2; exit 1; }
command -v openssl >/dev/null || { echo "check-postgres-config: openssl not found" >&2; exit 1; }

scratch="$(mktemp -d)"
data="$scratch/data"
as_pg=()
((EUID == 0)) && as_pg=(runuser -u postgres --)
cleanup() {
  [[ -f "$data/postmaster.pid" ]] && "${as_pg[@]}" "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() {
  echo "check-postgres-config: FAIL: $*" >&2
  [[ -f "$scratch/server.log" ]] && tail -n 20 "$scratch/server.log" >&2
  exit 1
}
((EUID == 0)) && chown postgres "$scratch"

port=''
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port="$p"; break; fi
done
[[ -n "$port" ]] || fail "no free port"

"${as_pg[@]}" "$bin/initdb" -D "$data" -A peer -U postgres --auth-host=scram-sha-256 >/dev/null
cp hamdam.conf "$data/hamdam.conf"
cp pg_hba.conf.sample "$data/pg_hba.conf"
# A self-signed certificate for ssl = on (the sample points at Debian's snakeoil pair).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$data/server.key" -out "$data/server.crt" >/dev/null 2>&1
chmod 600 "$data/server.key"
# The `trust` line below lets this script create the role over the socket without a password.
sed -i '1i local all postgres trust' "$data/pg_hba.conf"
cat >>"$data/postgresql.conf" <<EOF
include 'hamdam.conf'
# Only for this throwaway cluster:
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$scratch'
shared_buffers = 128MB
huge_pages = off
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
((EUID == 0)) && chown -R postgres "$data"

# Every setting must be known and valid: postgres -C parses the whole configuration.
"${as_pg[@]}" "$bin/postgres" -D "$data" -C max_connections >/dev/null 2>"$scratch/parse.log" ||
  fail "the configuration does not parse: $(cat "$scratch/parse.log")"
"${as_pg[@]}" "$bin/pg_ctl" -D "$data" -l "$scratch/server.log" -w -t 30 start >/dev/null ||
  fail "the server does not start with hamdam.conf and pg_hba.conf.sample"

q() { psql -qAtX -v ON_ERROR_STOP=1 -h "$scratch" -p "$port" -U postgres -d postgres -c "$1"; }
[[ "$(q 'show max_connections')" == 50 ]] || fail "max_connections is not 50"
[[ "$(q 'show statement_timeout')" == 0 ]] || fail "statement_timeout is set server-wide"
password="check-$RANDOM$RANDOM"
q "create role hamdam login password '$password'" >/dev/null
q "create database hamdam owner hamdam" >/dev/null
q "alter role hamdam set statement_timeout = '5s'" >/dev/null
q "alter role hamdam set idle_in_transaction_session_timeout = '10s'" >/dev/null

# The application's way in: TCP on loopback, SCRAM password. Its sessions carry the role's
# timeouts without asking for them.
got="$(PGPASSWORD="$password" psql -qAtX -h 127.0.0.1 -p "$port" -U hamdam -d hamdam \
  -c "select current_setting('statement_timeout') || ' ' || current_setting('idle_in_transaction_session_timeout')")" ||
  fail "hamdam cannot log in with its password over loopback"
[[ "$got" == '5s 10s' ]] || fail "the role's timeouts did not apply: $got"
if PGPASSWORD=wrong psql -qAtX -h 127.0.0.1 -p "$port" -U hamdam -d hamdam -c 'select 1' >/dev/null 2>&1; then
  fail "a wrong password got in"
fi
if PGPASSWORD="$password" psql -qAtX -h 127.0.0.1 -p "$port" -U hamdam -d postgres -c 'select 1' >/dev/null 2>&1; then
  fail "hamdam reached a database pg_hba.conf does not give it"
fi
echo "check-postgres-config: hamdam.conf and pg_hba.conf.sample load; SCRAM login and role timeouts work"
