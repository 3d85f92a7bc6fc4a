#!/usr/bin/env bash
# Every operations check, for CI (.ci/run calls it after `npm test`) and for a developer:
#
#   infra/check.sh            all checks (about a minute and a half; needs the local Redis and
#                             Postgres the tests use, and the Debian packages .ci/run installs)
#   infra/check.sh NAME…      only the named checks (see `infra/check.sh --list`)
#
# Each check runs to the end even when an earlier one failed; the output of a failed check is
# shown, and the script exits non-zero if any failed. Everything a check starts listens on
# loopback and is stopped by that check.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -a names=() commands=()
check() {
  names+=("$1")
  commands+=("$2")
}

check build 'npx tsc -b'
check promtool-config 'promtool check config infra/prometheus/prometheus.yml && promtool check config infra/compose/prometheus.yml'
check promtool-rules 'promtool check rules infra/prometheus/rules/hamdam.rules.yml'
check promtool-test 'promtool test rules infra/prometheus/rules/hamdam.rules.test.yml'
# The command is evaluated later, in its own shell: no expansion here.
# shellcheck disable=SC2016
check scrape-targets 'tmp="$(mktemp)"; trap "rm -f $tmp" EXIT; infra/prometheus/render-targets.sh "$tmp" >/dev/null && diff -u infra/prometheus/targets/hamdam-workers.json "$tmp"'
check check-queries 'node --test infra/check-queries.test.mjs && node infra/check-queries.mjs'
check systemd-verify 'infra/verify-units.sh'
check compose-config 'docker-compose -f infra/compose.yaml --env-file infra/.env.example config -q'
check redis 'infra/redis/check-redis.sh'
check postgres-config 'infra/postgresql.conf.d/check-postgres-config.sh'
check pgbouncer-tests 'infra/pgbouncer/run-tests-through-pgbouncer.sh'
check restore 'infra/backup/restore-check.sh'
check shellcheck 'if command -v shellcheck >/dev/null; then find infra -name "*.sh" -print0 | xargs -0 shellcheck; else echo "shellcheck not installed: skipped"; fi'

if [[ "${1:-}" == --list ]]; then
  printf '%s\n' "${names[@]}"
  exit 0
fi
selected=("$@")
for want in "${selected[@]}"; do
  printf '%s\n' "${names[@]}" | grep -qxF -- "$want" || {
    echo "check: no check named $want (infra/check.sh --list)" >&2
    exit 2
  }
done

passed=0
failed=0
failures=()
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for i in "${!names[@]}"; do
  name="${names[$i]}"
  if ((${#selected[@]} > 0)) && ! printf '%s\n' "${selected[@]}" | grep -qxF -- "$name"; then
    continue
  fi
  start=$SECONDS
  if bash -euo pipefail -c "${commands[$i]}" >"$log" 2>&1; then
    passed=$((passed + 1))
    printf 'ok   %-16s %3ds\n' "$name" $((SECONDS - start))
    grep -E '^(verify-units|run-tests-through-pgbouncer|restore-check|check-redis|check-postgres-config|check-queries): ' "$log" |
      grep -Ev 'FAIL' | sed 's/^/       /' || true
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'FAIL %-16s %3ds\n' "$name" $((SECONDS - start))
    tail -n 60 "$log" | sed 's/^/       /'
  fi
done

echo
((failed == 0)) || echo "failed checks: ${failures[*]}"
echo "$passed passed, $failed failed"
((failed == 0))
