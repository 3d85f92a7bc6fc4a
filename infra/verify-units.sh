#!/usr/bin/env bash
# Checks the systemd units in infra/ without a running systemd (CI containers, where PID 1 is
# not systemd): `systemd-analyze verify` loads them as systemd would and reports unknown
# sections and keys, bad values, missing dependencies and ExecStart= binaries that do not
# exist; `systemd-analyze security --offline=true` scores their sandbox.
#
# What it needs: the systemd package (systemd-analyze), and the binaries the units run
# (/usr/bin/node, /usr/sbin/nginx). It does not need the Redis, Postgres or PgBouncer units:
# the dependencies the units name are stubbed in a scratch directory, which verify prefers
# over the system's units, so the result does not depend on what else is installed.
#
# verify prints most problems as warnings and still exits 0, so any output fails the check.
# The check proves it can fail: a copy with an unknown key and one with a missing binary must
# both be refused.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
units=(hamdam.service hamdam-nginx.service)
# Highest exposure allowed by `systemd-analyze security` (0-100; it prints these / 10).
declare -A max_exposure=([hamdam.service]=20 [hamdam-nginx.service]=30)
# Units ours depend on, provided by Debian packages on a real host.
deps=(redis-server.service postgresql.service pgbouncer.service)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

export SYSTEMD_LOG_LEVEL=info SYSTEMD_PAGER=cat SYSTEMD_COLORS=0

# verify DIR UNIT...: 0 if systemd-analyze accepts the units silently.
verify() {
  local dir="$1" out
  shift
  local paths=()
  for u in "$@"; do paths+=("$dir/$u"); done
  if ! out="$(systemd-analyze verify --man=no "${paths[@]}" 2>&1)"; then
    printf '%s\n' "$out"
    return 1
  fi
  if [[ -n "$out" ]]; then
    printf '%s\n' "$out"
    return 1
  fi
}

stage() {
  local dir="$1"
  mkdir -p "$dir"
  for u in "${units[@]}"; do cp "$here/$u" "$dir/$u"; done
  for d in "${deps[@]}"; do
    printf '[Unit]\nDescription=stand-in for %s\n[Service]\nExecStart=/bin/true\n' "$d" >"$dir/$d"
  done
}

command -v systemd-analyze >/dev/null || {
  echo "verify-units: systemd-analyze not found (apt-get install systemd)" >&2
  exit 1
}

stage "$scratch/good"
if ! verify "$scratch/good" "${units[@]}"; then
  echo "verify-units: FAIL: systemd-analyze verify rejected the units above" >&2
  exit 1
fi
echo "verify-units: systemd-analyze verify: ${units[*]} ok"

for u in "${units[@]}"; do
  score="$(systemd-analyze security --offline=true --no-pager "$scratch/good/$u" 2>&1 | tail -n 1)"
  if ! systemd-analyze security --offline=true --threshold="${max_exposure[$u]}" \
    "$scratch/good/$u" >/dev/null 2>&1; then
    echo "verify-units: FAIL: $u is more exposed than ${max_exposure[$u]}/100: $score" >&2
    exit 1
  fi
  echo "verify-units: $u: ${score#→ }"
done

# The check must be able to fail.
stage "$scratch/typo"
sed -i 's/^NoNewPrivileges=yes/NoNewPrivilege=yes/' "$scratch/typo/hamdam.service"
stage "$scratch/nobin"
sed -i 's|^ExecStart=/usr/sbin/nginx|ExecStart=/usr/sbin/nginx-missing|' "$scratch/nobin/hamdam-nginx.service"
stage "$scratch/nodep"
sed -i 's/^Requires=redis-server.service/Requires=redis-sever.service/' "$scratch/nodep/hamdam.service"
for broken in typo nobin nodep; do
  if verify "$scratch/$broken" "${units[@]}" >/dev/null; then
    echo "verify-units: FAIL: a broken unit ($broken) passed verify; the check is not working" >&2
    exit 1
  fi
done
echo "verify-units: broken copies (unknown key, missing binary, misspelt dependency) are refused"
