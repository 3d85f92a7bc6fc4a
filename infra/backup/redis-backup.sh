#!/usr/bin/env bash
# Backs up hamdam's Redis: a fresh RDB snapshot (BGSAVE, waited for) and a copy of the AOF
# directory, checked with redis-check-rdb / redis-check-aof, into BACKUP_DIR/redis-<UTC time>/.
# Run it on the Redis host, as a user that can read Redis' data directory (root or redis).
#
#   REDISCLI_AUTH=… infra/backup/redis-backup.sh            (e.g. from a systemd timer)
#
# Environment (defaults in brackets):
#   REDIS_HOST [127.0.0.1]  REDIS_PORT [6379]  REDIS_USER [backup]  (the ACL user in users.acl)
#   REDISCLI_AUTH           its password; read by redis-cli from the environment, so it never
#                           appears on a command line or in this script's output
#   REDIS_PASSWORD_FILE     alternatively, a file holding the password
#   BACKUP_DIR [/var/backups/hamdam/redis]  KEEP [14] newest backups kept
#   MAX_AGE_DAYS [30]       older backups are removed (the newest one never is)
#   TIMEOUT_SECONDS [600]   longest wait for the snapshot
#
# The RDB is a consistent point-in-time copy and is what a restore normally uses. The AOF copy
# holds up to the last second before the backup; it is taken only when no AOF rewrite runs
# during the copy (otherwise the backup keeps the RDB alone and says so).
# Exit status: 0 on success, non-zero (and no partial backup left) on any failure.
set -euo pipefail

REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_USER="${REDIS_USER:-backup}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/hamdam/redis}"
KEEP="${KEEP:-14}"
MAX_AGE_DAYS="${MAX_AGE_DAYS:-30}"
TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-600}"

log() { printf 'redis-backup: %s\n' "$*"; }
fail() {
  printf 'redis-backup: FAIL: %s\n' "$*" >&2
  exit 1
}
for v in REDIS_PORT KEEP MAX_AGE_DAYS TIMEOUT_SECONDS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || fail "$v must be a whole number"
done
((KEEP >= 1)) || fail "KEEP must be at least 1"
if [[ -n "${REDIS_PASSWORD_FILE:-}" ]]; then
  [[ -r "$REDIS_PASSWORD_FILE" ]] || fail "cannot read REDIS_PASSWORD_FILE"
  REDISCLI_AUTH="$(head -n 1 "$REDIS_PASSWORD_FILE")"
fi
export REDISCLI_AUTH="${REDISCLI_AUTH:-}"
for bin in redis-cli redis-check-rdb redis-check-aof sha256sum; do
  command -v "$bin" >/dev/null || fail "$bin not found (apt-get install redis-tools)"
done

# redis-cli with the user; the password comes from REDISCLI_AUTH. --no-auth-warning keeps
# redis-cli from commenting on it.
rcli() {
  local args=(--no-auth-warning -h "$REDIS_HOST" -p "$REDIS_PORT")
  [[ -n "$REDIS_USER" ]] && args+=(--user "$REDIS_USER")
  redis-cli "${args[@]}" "$@"
}
# One field of INFO persistence.
info_field() { rcli INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }

pong="$(rcli PING 2>&1)" || true
[[ "$pong" == PONG ]] || fail "Redis at $REDIS_HOST:$REDIS_PORT does not answer PING as $REDIS_USER: $(head -n 1 <<<"$pong")"
data_dir="$(rcli CONFIG GET dir | sed -n 2p)"
rdb_name="$(rcli CONFIG GET dbfilename | sed -n 2p)"
aof_on="$(rcli CONFIG GET appendonly | sed -n 2p)"
aof_dirname="$(rcli CONFIG GET appenddirname | sed -n 2p)"
[[ -n "$data_dir" && -n "$rdb_name" ]] || fail "cannot read Redis' dir and dbfilename (CONFIG GET)"
[[ -r "$data_dir/$rdb_name" || -r "$data_dir" ]] || fail "cannot read $data_dir: run on the Redis host as root or redis"

mkdir -p "$BACKUP_DIR"
exec 9>"$BACKUP_DIR/.lock"
flock -n 9 || fail "another backup is running in $BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%S%3NZ)"
work="$(mktemp -d "$BACKUP_DIR/.redis-$stamp.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# 1. A fresh snapshot. If one is already running, wait for it and start ours after it, so the
#    copy is never older than this run.
deadline=$((SECONDS + TIMEOUT_SECONDS))
while [[ "$(info_field rdb_bgsave_in_progress)" == 1 ]]; do
  ((SECONDS < deadline)) || fail "a snapshot already running did not finish in ${TIMEOUT_SECONDS}s"
  sleep 1
done
saves_before="$(info_field rdb_saves)"
reply="$(rcli BGSAVE)"
[[ "$reply" == *"Background saving started"* ]] || fail "BGSAVE refused: $reply"
until [[ "$(info_field rdb_bgsave_in_progress)" == 0 && "$(info_field rdb_saves)" -gt "$saves_before" ]]; do
  ((SECONDS < deadline)) || fail "the snapshot did not finish in ${TIMEOUT_SECONDS}s"
  sleep 0.5
done
[[ "$(info_field rdb_last_bgsave_status)" == ok ]] || fail "the snapshot failed (rdb_last_bgsave_status); see Redis' log"
cp --preserve=timestamps "$data_dir/$rdb_name" "$work/dump.rdb"
redis-check-rdb "$work/dump.rdb" >"$work/check-rdb.log" 2>&1 || fail "redis-check-rdb rejects the copy: $(tail -n 3 "$work/check-rdb.log")"
log "snapshot: $(stat -c %s "$work/dump.rdb") bytes"

# 2. The AOF directory, when AOF is on and no rewrite runs while it is copied.
if [[ "$aof_on" == yes && -d "$data_dir/$aof_dirname" ]]; then
  rewrites_before="$(info_field aof_rewrites)"
  if [[ "$(info_field aof_rewrite_in_progress)" == 0 ]]; then
    cp -r --preserve=timestamps "$data_dir/$aof_dirname" "$work/$aof_dirname"
    if [[ "$(info_field aof_rewrite_in_progress)" == 0 && "$(info_field aof_rewrites)" == "$rewrites_before" ]]; then
      manifest="$(find "$work/$aof_dirname" -name '*.manifest' | head -n 1)"
      # The last increment may end mid-command (it is being appended to): --fix is not used,
      # the check only has to find the files consistent up to a truncated tail.
      if [[ -n "$manifest" ]] && redis-check-aof "$manifest" >"$work/check-aof.log" 2>&1; then
        log "AOF: $(du -sb "$work/$aof_dirname" | cut -f1) bytes"
      elif grep -q 'truncated' "$work/check-aof.log" 2>/dev/null; then
        log "AOF: copied; its last command is cut off mid-write (Redis loads it with aof-load-truncated)"
      else
        rm -rf "${work:?}/$aof_dirname"
        log "AOF: redis-check-aof rejects the copy; keeping the snapshot only"
      fi
    else
      rm -rf "${work:?}/$aof_dirname"
      log "AOF: a rewrite ran during the copy; keeping the snapshot only"
    fi
  else
    log "AOF: a rewrite is running; keeping the snapshot only"
  fi
fi

sums="$(cd "$work" && find . -type f ! -name '*.log' -print0 | sort -z | xargs -0 sha256sum)"
printf '%s\n' "$sums" >"$work/SHA256SUMS"
rm -f "$work"/*.log
final="$BACKUP_DIR/redis-$stamp"
[[ ! -e "$final" ]] || fail "$final already exists"
mv "$work" "$final"
trap - EXIT
chmod -R go-rwx "$final"
log "backup: $final"

# 3. Retention: the KEEP newest; of those, drop any older than MAX_AGE_DAYS but the newest.
mapfile -t backups < <(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'redis-*' -printf '%f\n' | sort -r)
now="$(date +%s)"
for i in "${!backups[@]}"; do
  ((i == 0)) && continue
  dir="$BACKUP_DIR/${backups[$i]}"
  age_days=$(((now - $(stat -c %Y "$dir")) / 86400))
  if ((i >= KEEP || age_days > MAX_AGE_DAYS)); then
    rm -rf "$dir"
    log "removed old backup ${backups[$i]}"
  fi
done
