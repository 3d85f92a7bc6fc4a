#!/usr/bin/env bash
# Starts throwaway Redis servers on loopback with infra/redis/redis.conf, users.acl and
# sentinel.conf (only ports, directories and passwords changed), and checks what they promise:
# the settings load, the anonymous user is refused, each ACL user can do its job and nothing
# more, the exporter scrapes with its user, a sentinel logs in and watches the master, and a
# backup made by infra/backup/redis-backup.sh restores (AOF, and RDB alone) with every key.
# CI runs it (infra/check.sh); the recovery steps in docs/operations.md are the same.
set -euo pipefail

cd "$(dirname "$0")/../.."
for bin in redis-server redis-cli sha256sum; do
  command -v "$bin" >/dev/null || { echo "check-redis: $bin not found" >&2; exit 1; }
done

scratch="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$scratch"
}
trap cleanup EXIT

log() { printf 'check-redis: %s\n' "$*"; }
fail() {
  printf 'check-redis: FAIL: %s\n' "$*" >&2
  for f in "$scratch"/*.log; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  exit 1
}
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  return 1
}
# as USER PORT ARGS…: redis-cli as an ACL user; the password travels in REDISCLI_AUTH.
declare -A password
as() {
  local user="$1" port="$2"
  shift 2
  REDISCLI_AUTH="${password[$user]}" redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" --user "$user" "$@" 2>&1
}
expect() {
  local what="$1" want="$2" got="$3"
  [[ "$got" == *"$want"* ]] || fail "$what: expected '$want', got '$got'"
}
wait_for() {
  local what="$1"
  shift
  for _ in $(seq 1 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for $what"
}

# users.acl with a fresh password for each user instead of the placeholder hashes.
: >"$scratch/users.acl"
while read -r line; do
  user="$(awk '{print $2}' <<<"$line")"
  if [[ "$line" == *'#0000000000000000000000000000000000000000000000000000000000000000'* ]]; then
    password[$user]="pw-$user-$RANDOM$RANDOM"
    hash="$(printf '%s' "${password[$user]}" | sha256sum | cut -d' ' -f1)"
    line="${line/\#0000000000000000000000000000000000000000000000000000000000000000/#$hash}"
  fi
  printf '%s\n' "$line" >>"$scratch/users.acl"
done <infra/redis/users.acl
[[ -n "${password[hamdam]:-}" && -n "${password[backup]:-}" ]] || fail "users.acl lacks the hamdam or backup user"

# start_redis NAME PORT DIR [extra args]: redis.conf with loopback, port, directory and Unix
# socket (DIR/redis.sock) changed.
start_redis() {
  local name="$1" port="$2" dir="$3"
  shift 3
  mkdir -p "$dir"
  redis-server infra/redis/redis.conf --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --unixsocket "$dir/redis.sock" --aclfile "$scratch/users.acl" --maxmemory 64mb --logfile "$scratch/$name.log" \
    --daemonize no "$@" &
  pids+=($!)
  wait_for "redis $name" as backup "$port" PING
  expect "redis $name answers" PONG "$(as backup "$port" PING)"
}

port="$(free_port)"
start_redis main "$port" "$scratch/data"
log "redis.conf and users.acl load (redis-server $(redis-server --version | awk '{print $3}'))"

# The settings that matter.
expect maxmemory-policy noeviction "$(as backup "$port" CONFIG GET maxmemory-policy)"
expect appendonly yes "$(as backup "$port" CONFIG GET appendonly)"
expect appendfsync everysec "$(as backup "$port" CONFIG GET appendfsync)"

# No anonymous access.
expect "anonymous PING" NOAUTH "$(redis-cli -h 127.0.0.1 -p "$port" PING 2>&1)"
expect "default user" WRONGPASS "$(redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" --user default --pass x PING 2>&1)"

# The bot: its keys and Lua, nothing else.
expect "hamdam SET" OK "$(as hamdam "$port" SET 'hamdam:{h}:k' v)"
expect "hamdam EVAL" 1 "$(as hamdam "$port" EVAL "return redis.call('INCR', KEYS[1])" 1 'hamdam:{h}:n')"
expect "hamdam INFO" redis_version "$(as hamdam "$port" INFO server)"
expect "hamdam other key" NOPERM "$(as hamdam "$port" SET other:k v)"
expect "hamdam FLUSHALL" NOPERM "$(as hamdam "$port" FLUSHALL)"
expect "hamdam CONFIG SET" NOPERM "$(as hamdam "$port" CONFIG SET maxmemory 0)"
expect "hamdam SCRIPT FLUSH" NOPERM "$(as hamdam "$port" SCRIPT FLUSH)"
# The exporter and backup users read server state, never keys.
expect "exporter INFO" redis_version "$(as exporter "$port" INFO server)"
expect "exporter GET" NOPERM "$(as exporter "$port" GET 'hamdam:{h}:k')"
expect "backup GET" NOPERM "$(as backup "$port" GET 'hamdam:{h}:k')"
log "ACL: default refused; hamdam, exporter and backup can do their jobs and no more"

# The Unix socket: the same users, the same refusal of anyone else.
sock="$scratch/data/redis.sock"
expect "socket mode" 'srwxrwxrwx' "$(stat -c %A "$sock")"
expect "anonymous PING over the socket" NOAUTH "$(redis-cli -s "$sock" PING 2>&1)"
expect "hamdam over the socket" v \
  "$(REDISCLI_AUTH="${password[hamdam]}" redis-cli --no-auth-warning -s "$sock" --user hamdam GET 'hamdam:{h}:k' 2>&1)"
log "Unix socket: the ACL users log in, anonymous refused"

# The exporter, with its user, scrapes without errors.
if command -v prometheus-redis-exporter >/dev/null; then
  eport="$(free_port)"
  REDIS_PASSWORD="${password[exporter]}" prometheus-redis-exporter -redis.addr "redis://127.0.0.1:$port" \
    -redis.user exporter -web.listen-address "127.0.0.1:$eport" >"$scratch/exporter.log" 2>&1 &
  pids+=($!)
  wait_for "the redis exporter" bash -c "exec 3<>/dev/tcp/127.0.0.1/$eport"
  metrics="$(bash -c "exec 3<>/dev/tcp/127.0.0.1/$eport; printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3; cat <&3")"
  expect "exporter redis_up" 'redis_up 1' "$metrics"
  expect "exporter scrape errors" 'redis_exporter_last_scrape_error{err=""} 0' "$metrics"
  expect "exporter maxmemory" 'redis_memory_max_bytes 6.7108864e+07' "$metrics"
  log "prometheus-redis-exporter scrapes as the exporter user without errors"
fi

# A sentinel with sentinel.conf logs in as the sentinel user and sees a healthy master.
sport="$(free_port)"
mkdir -p "$scratch/sentinel"
sed -e "s/^port 26379/port $sport/" -e "s|^dir .*|dir $scratch/sentinel|" \
  -e "s/^bind .*/bind 127.0.0.1/" \
  -e "s/^sentinel monitor hamdam .*/sentinel monitor hamdam 127.0.0.1 $port 2/" \
  -e "s/^sentinel auth-pass hamdam .*/sentinel auth-pass hamdam ${password[sentinel]}/" \
  infra/redis/sentinel.conf >"$scratch/sentinel/sentinel.conf"
redis-server "$scratch/sentinel/sentinel.conf" --sentinel --logfile "$scratch/sentinel.log" &
pids+=($!)
sentinel_ok() {
  local m
  m="$(redis-cli -h 127.0.0.1 -p "$sport" SENTINEL MASTER hamdam 2>/dev/null | tr '\n' ' ')"
  # A run id is known only once the sentinel has logged in and read INFO.
  [[ "$m" == *"flags master "* && "$m" =~ runid\ [0-9a-f]{40} ]]
}
wait_for "the sentinel to see the master" sentinel_ok
log "sentinel.conf: the sentinel logs in as the sentinel user and sees the master"

# Backup with redis-backup.sh, then restore it as the runbook says.
for i in $(seq 1 200); do printf 'SET hamdam:{h}:key%d value%d\n' "$i" "$i"; done |
  REDISCLI_AUTH="${password[hamdam]}" redis-cli --no-auth-warning -p "$port" --user hamdam >/dev/null
keys="$(as hamdam "$port" DBSIZE)"
((keys == 202)) || fail "expected 202 keys before the backup, found $keys"
# Let the AOF reach the disk (appendfsync everysec).
sleep 1.2
REDIS_PORT="$port" REDIS_USER=backup REDISCLI_AUTH="${password[backup]}" BACKUP_DIR="$scratch/backups" \
  infra/backup/redis-backup.sh >"$scratch/backup.log" 2>&1 || fail "redis-backup.sh failed: $(cat "$scratch/backup.log")"
! grep -q "${password[backup]}" "$scratch/backup.log" || fail "redis-backup.sh printed the password"
backup="$(find "$scratch/backups" -mindepth 1 -maxdepth 1 -type d -name 'redis-*' | head -n 1)"
[[ -s "$backup/dump.rdb" && -d "$backup/appendonlydir" ]] || fail "backup lacks dump.rdb or appendonlydir: $(ls "$backup")"
(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || fail "backup checksums do not match"
log "redis-backup.sh: snapshot and AOF copied and checked"

# Restore 1: the AOF directory (and the RDB beside it) into an empty data directory.
mkdir -p "$scratch/restore-aof"
cp -r "$backup/appendonlydir" "$backup/dump.rdb" "$scratch/restore-aof/"
rport="$(free_port)"
start_redis restore-aof "$rport" "$scratch/restore-aof"
expect "keys after AOF restore" 202 "$(as hamdam "$rport" DBSIZE)"
expect "a value after AOF restore" value77 "$(as hamdam "$rport" GET 'hamdam:{h}:key77')"
# Restore 2: the RDB alone, with AOF off while it loads (with AOF on and no AOF directory,
# Redis would start empty and write a new AOF).
mkdir -p "$scratch/restore-rdb"
cp "$backup/dump.rdb" "$scratch/restore-rdb/"
r2port="$(free_port)"
start_redis restore-rdb "$r2port" "$scratch/restore-rdb" --appendonly no
expect "keys after RDB restore" 202 "$(as hamdam "$r2port" DBSIZE)"
log "restore from the AOF directory and from the RDB alone: every key back"

# The sysctl file names settings this kernel has.
while read -r key _; do
  [[ -e "/proc/sys/${key//.//}" ]] || fail "sysctl.d: no such setting $key"
done < <(grep -E '^[a-z]' infra/sysctl.d/90-hamdam-redis.conf | tr -d ' ' | tr '=' ' ')
log "sysctl.d/90-hamdam-redis.conf: every setting exists"
log ok
