#!/usr/bin/env bash
# Proves that a Postgres backup restores: migrates a scratch database with the project's own
# migrations, fills every table with a few valid rows, backs it up with pg-backup.sh, restores
# the dump into a fresh database with pg_restore, and compares every table (row count and
# contents) and every sequence. Also checks pg-backup.sh's retention and that it fails cleanly,
# without printing the password, when the database is unreachable. CI runs it (infra/check.sh).
#
#   infra/backup/restore-check.sh      (after `npm run build`)
#
# Needs the local Postgres the tests use (127.0.0.1:5432, trust auth, database `test`), and
# pg_dump/pg_restore of the server's major version. Both scratch databases are dropped on exit.
set -euo pipefail

cd "$(dirname "$0")/../.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
admin_db='test'
suffix="$$_${RANDOM}"
src="hamdam_restore_src_$suffix"
dst="hamdam_restore_dst_$suffix"
work="$(mktemp -d)"
created=()

log() { printf 'restore-check: %s\n' "$*"; }
fail() {
  printf 'restore-check: FAIL: %s\n' "$*" >&2
  exit 1
}
psql_() { psql -qAtX -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
  for db in "${created[@]}"; do
    psql_ -d "$admin_db" -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

[[ -f apps/bot/dist/migrate.js ]] || fail "apps/bot/dist/migrate.js missing: run \`npm run build\` first"
pg_isready -q || fail "no Postgres at $PGHOST:$PGPORT"

# 1. A database with the project's schema, made by the project's migrations.
psql_ -d "$admin_db" -c "create database $src"
created+=("$src")
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$src" LOG_LEVEL=silent node apps/bot/dist/migrate.js >/dev/null
log "migrated $src"

# 2. A few valid rows in every table the schema has (packages/db/src/migrations.ts).
psql_ -d "$src" <<'SQL'
insert into users (telegram_id, language_code, gender, wants, age)
values (1000001, 'en', 'm', 'f', 25),
       (1000002, 'fa', 'f', 'any', 31),
       (1000003, null, null, 'any', null);
insert into users (telegram_id, banned_until, ban_reason)
values (1000004, now() + interval '7 days', 'spam');
insert into chats (key, user_a, user_b, started_at, ended_at, end_reason, messages_a, messages_b)
select 'c1', a.id, b.id, now() - interval '1 hour', now(), 'stop', 12, 9
from users a, users b where a.telegram_id = 1000001 and b.telegram_id = 1000002;
insert into chats (key, user_a, user_b, started_at)
select 'c2', a.id, b.id, now()
from users a, users b where a.telegram_id = 1000003 and b.telegram_id = 1000001;
insert into reports (chat_id, reporter, reported, reason)
select c.id, c.user_b, c.user_a, 'abuse' from chats c where c.key = 'c1';
insert into blocks (blocker, blocked)
select a.id, b.id from users a, users b where a.telegram_id = 1000002 and b.telegram_id = 1000001;
SQL

# Every base table of the public schema: the four of the schema plus kysely's bookkeeping.
tables_of() {
  psql_ -d "$1" -c "select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1"
}
mapfile -t tables < <(tables_of "$src")
for t in users chats reports blocks; do
  printf '%s\n' "${tables[@]}" | grep -qx "$t" || fail "the migrations made no table $t"
done
for t in "${tables[@]}"; do
  [[ "$t" =~ ^[a-z_]+$ ]] || fail "unexpected table name: $t"
done

# Rows and an order-independent digest of the contents of one table.
table_digest() {
  psql_ -d "$1" -c "select count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '-')
    from public.$2 t"
}
sequences_of() {
  psql_ -d "$1" -c "select sequencename || '=' || coalesce(last_value, 0)
    from pg_sequences where schemaname = 'public' order by 1"
}

# 3. Back it up with the production script.
BACKUP_DIR="$work/backups" PGDATABASE="$src" infra/backup/pg-backup.sh >"$work/backup.log"
dump="$(find "$work/backups" -name "hamdam-$src-*.dump" | head -n 1)"
[[ -s "$dump" ]] || fail "pg-backup.sh made no dump"
(cd "$work/backups" && sha256sum --quiet -c "$(basename "$dump").sha256") || fail "dump checksum mismatch"
log "backed up with pg-backup.sh: $(basename "$dump")"

# 4. Restore into a fresh database, as the runbook does, in one transaction.
psql_ -d "$admin_db" -c "create database $dst"
created+=("$dst")
pg_restore --exit-on-error --single-transaction --no-owner --dbname="$dst" "$dump"
log "restored into $dst"

# 5. Every table and sequence the same.
mapfile -t restored < <(tables_of "$dst")
[[ "${tables[*]}" == "${restored[*]}" ]] || fail "tables differ: ${tables[*]} / ${restored[*]}"
for t in "${tables[@]}"; do
  a="$(table_digest "$src" "$t")"
  b="$(table_digest "$dst" "$t")"
  [[ "$a" == "$b" ]] || fail "table $t differs after restore: $a / $b"
  log "  $t: ${a%% *} rows, same contents"
done
[[ "$(table_digest "$src" users)" == 4\ * ]] || fail "expected 4 users in the source"
[[ "$(sequences_of "$src")" == "$(sequences_of "$dst")" ]] || fail "sequences differ after restore"
# The restored database takes new rows: its sequences continue after the restored ids.
psql_ -d "$dst" -c "insert into users (telegram_id) values (1000005)"
log "sequences restored; new rows insert after the restored ones"

# 6. Retention: KEEP newest, and nothing older than MAX_AGE_DAYS but the newest.
touch -d '40 days ago' "$work/backups/hamdam-$src-20000101T000000000Z.dump"
touch -d '2 days ago' "$work/backups/hamdam-$src-20000102T000000000Z.dump"
BACKUP_DIR="$work/backups" PGDATABASE="$src" KEEP=2 MAX_AGE_DAYS=30 infra/backup/pg-backup.sh >"$work/backup2.log"
left="$(find "$work/backups" -name "hamdam-$src-*.dump" | wc -l)"
((left == 2)) || fail "retention kept $left dumps, expected 2"
[[ ! -e "$work/backups/hamdam-$src-20000101T000000000Z.dump" ]] || fail "retention kept a 40-day-old dump"
log "retention: KEEP and MAX_AGE_DAYS honoured"

# 7. A failing backup exits non-zero, leaves no file, and does not print the password.
canary="restore-check-canary-$RANDOM$RANDOM"
if BACKUP_DIR="$work/failing" PGDATABASE=hamdam_no_such_database PGPASSWORD="$canary" \
  infra/backup/pg-backup.sh >"$work/fail.out" 2>&1; then
  fail "pg-backup.sh succeeded on a database that does not exist"
fi
! grep -q "$canary" "$work/fail.out" || fail "pg-backup.sh printed the password"
[[ -z "$(find "$work/failing" -name '*.dump*' 2>/dev/null)" ]] || fail "a failed backup left a file behind"
log "a failed backup exits non-zero, leaves nothing, prints no password"

log "ok: the backup restores table for table"
