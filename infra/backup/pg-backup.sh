#!/usr/bin/env bash
# Backs up hamdam's Postgres database with pg_dump's custom format into
# BACKUP_DIR/hamdam-<database>-<UTC time>.dump, checks that pg_restore can read it, and keeps
# the KEEP newest (dropping any older than MAX_AGE_DAYS, but never the newest).
#
#   PGHOST=127.0.0.1 PGUSER=hamdam PGDATABASE=hamdam infra/backup/pg-backup.sh
#
# Connection: libpq's environment (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE …). The
# password comes from ~/.pgpass or PGPASSFILE (or PGPASSWORD); it is never put on a command
# line and never printed. Connect directly or through PgBouncer's session-mode entry: pg_dump
# needs one session for its snapshot.
#
#   BACKUP_DIR [/var/backups/hamdam/postgres]  KEEP [14]  MAX_AGE_DAYS [30]
#
# Restore: docs/operations.md ("Recover from losing Postgres"); infra/backup/restore-check.sh
# proves a dump restores. Exit status: 0 on success, non-zero (and no partial file) on failure.
set -euo pipefail

BACKUP_DIR="${BACKUP_DIR:-/var/backups/hamdam/postgres}"
KEEP="${KEEP:-14}"
MAX_AGE_DAYS="${MAX_AGE_DAYS:-30}"
export PGDATABASE="${PGDATABASE:-hamdam}"
# Never wait for a password prompt (cron and timers have no terminal).
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"

log() { printf 'pg-backup: %s\n' "$*"; }
fail() {
  printf 'pg-backup: FAIL: %s\n' "$*" >&2
  exit 1
}
for v in KEEP MAX_AGE_DAYS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || fail "$v must be a whole number"
done
((KEEP >= 1)) || fail "KEEP must be at least 1"
# The name goes into a file name: letters, digits, _ and - only.
[[ "$PGDATABASE" =~ ^[A-Za-z0-9_-]+$ ]] || fail "PGDATABASE must be a plain database name"
for bin in pg_dump pg_restore sha256sum flock; do
  command -v "$bin" >/dev/null || fail "$bin not found (apt-get install postgresql-client)"
done

mkdir -p "$BACKUP_DIR"
exec 9>"$BACKUP_DIR/.lock"
flock -n 9 || fail "another backup is running in $BACKUP_DIR"
umask 077
stamp="$(date -u +%Y%m%dT%H%M%S%3NZ)"
final="$BACKUP_DIR/hamdam-$PGDATABASE-$stamp.dump"
partial="$BACKUP_DIR/.hamdam-$PGDATABASE-$stamp.dump.partial"
trap 'rm -f "$partial"' EXIT

# pg_dump's messages name the host, user and database, never the password. Its stderr is
# kept and shown only on failure.
errors="$(mktemp)"
trap 'rm -f "$partial" "$errors"' EXIT
if ! pg_dump --format=custom --compress=6 --no-password --file="$partial" 2>"$errors"; then
  fail "pg_dump of $PGDATABASE failed: $(tail -n 3 "$errors")"
fi
# A dump pg_restore cannot list is no backup.
if ! pg_restore --list "$partial" >/dev/null 2>"$errors"; then
  fail "pg_restore cannot read the dump: $(tail -n 3 "$errors")"
fi
[[ ! -e "$final" ]] || fail "$final already exists"
mv "$partial" "$final"
(cd "$BACKUP_DIR" && sha256sum "$(basename "$final")" >"$(basename "$final").sha256")
log "backup: $final ($(stat -c %s "$final") bytes)"

# Retention: the KEEP newest; of those, drop any older than MAX_AGE_DAYS but the newest.
mapfile -t dumps < <(find "$BACKUP_DIR" -maxdepth 1 -type f -name "hamdam-$PGDATABASE-*.dump" -printf '%f\n' | sort -r)
now="$(date +%s)"
for i in "${!dumps[@]}"; do
  ((i == 0)) && continue
  file="$BACKUP_DIR/${dumps[$i]}"
  age_days=$(((now - $(stat -c %Y "$file")) / 86400))
  if ((i >= KEEP || age_days > MAX_AGE_DAYS)); then
    rm -f "$file" "$file.sha256"
    log "removed old backup ${dumps[$i]}"
  fi
done
