#!/usr/bin/env bash
# Writes the Prometheus file_sd list of this host's hamdam workers: worker i listens on PORT+i,
# i = 0..WORKERS-1, the same rule the supervisor and `npm run render:nginx` follow.
#
#   WORKERS=8 PORT=3000 HOST=127.0.0.1 infra/prometheus/render-targets.sh [out-file]
#
# Prometheus watches file_sd files and picks up a change within seconds, without a reload.
# The file is written to a temporary name and renamed, so Prometheus never reads half of it.
set -euo pipefail

workers="${WORKERS:-8}"
port="${PORT:-3000}"
host="${HOST:-127.0.0.1}"
out="${1:-$(dirname "$0")/targets/hamdam-workers.json}"

is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }
if ! is_int "$workers" || ((workers < 1 || workers > 256)); then
  echo "render-targets: WORKERS must be an integer 1-256, got '$workers'" >&2
  exit 2
fi
if ! is_int "$port" || ((port < 1 || port + workers - 1 > 65535)); then
  echo "render-targets: PORT must leave room for $workers ports below 65536, got '$port'" >&2
  exit 2
fi
# A host name or address, never anything that could break the JSON.
if ! [[ "$host" =~ ^[A-Za-z0-9.:_-]+$ ]]; then
  echo "render-targets: HOST must be a host name or address, got '$host'" >&2
  exit 2
fi
case "$host" in *:*) addr="[$host]" ;; *) addr="$host" ;; esac

tmp="$(mktemp "$(dirname "$out")/.hamdam-workers.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
{
  echo '['
  for ((i = 0; i < workers; i++)); do
    sep=','
    ((i == workers - 1)) && sep=''
    printf '  { "targets": ["%s:%d"], "labels": { "worker": "%d" } }%s\n' \
      "$addr" $((port + i)) "$i" "$sep"
  done
  echo ']'
} >"$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "render-targets: $workers workers on $addr:$port-$((port + workers - 1)) -> $out"
