#!/usr/bin/env bash
# The demo: starts gardefou on a fresh build/demo/gardefou.db, runs the C++ LMS example against
# it, stops the server, and verifies the audit trail offline. The database is kept.
# With PROVIDER_URL (and PROVIDER_MODEL, optionally PROVIDER_API_KEY) the suggestions come from
# that OpenAI-compatible endpoint instead of the offline provider; the guarantees declared for it
# default to the cautious side (PROVIDER_EU_RESIDENCY=no, PROVIDER_RETENTION="30 days",
# PROVIDER_TRAINING=yes) until you state them.
set -euo pipefail
cd "$(dirname "$0")/../.."

port="${DEMO_PORT:-50051}"
dir=build/demo
mkdir -p "$dir"
rm -f "$dir"/gardefou.db "$dir"/gardefou.db-wal "$dir"/gardefou.db-shm

providers=()
if [[ -n "${PROVIDER_URL:-}" ]]; then
  if [[ -z "${PROVIDER_MODEL:-}" ]]; then
    echo "demo: PROVIDER_URL is set: also set PROVIDER_MODEL (the model name the endpoint serves)" >&2
    exit 2
  fi
  cat >"$dir/providers.conf" <<EOF
# Written by examples/demo/run_demo.sh for PROVIDER_URL.
default = demo-endpoint

[demo-endpoint]
kind = openai-compatible
base_url = $PROVIDER_URL
model = $PROVIDER_MODEL
api_key_env = PROVIDER_API_KEY
eu_residency = ${PROVIDER_EU_RESIDENCY:-no}
retention = ${PROVIDER_RETENTION:-30 days}
used_for_training = ${PROVIDER_TRAINING:-yes}
timeout_ms = ${PROVIDER_TIMEOUT_MS:-120000}
EOF
  providers=(--providers "$dir/providers.conf")
  echo "Suggestions from $PROVIDER_URL (model $PROVIDER_MODEL); configuration in $dir/providers.conf"
  echo "The default policy sends nothing to a provider that does not declare EU residency, no"
  echo "training and a retention of 30 days at most, over https (or http on loopback): set"
  echo "PROVIDER_EU_RESIDENCY=yes PROVIDER_TRAINING=no PROVIDER_RETENTION=none when that is true."
fi

# --dev-headers: the demo's client names its caller in headers, trusted on loopback only.
# A deployment uses --auth with TLS (docs/security.md).
build/service/gardefou serve --db "$dir/gardefou.db" --listen "127.0.0.1:$port" --dev-headers \
  "${providers[@]}" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT

build/examples/lms_demo --target "127.0.0.1:$port" \
  --roster examples/demo/roster.json --copies examples/demo/copies

kill -TERM $server
wait $server
trap - EXIT
echo
echo "Offline check of the kept database ($dir/gardefou.db):"
build/service/gardefou audit verify --db "$dir/gardefou.db"
echo
echo "What an inspector takes away: an export checked with no server and no database,"
echo "and the report (open $dir/report.html in a browser):"
rm -rf "$dir/export"
build/service/gardefou audit export --db "$dir/gardefou.db" --out "$dir/export"
build/service/gardefou audit verify "$dir/export"
build/service/gardefou audit report --db "$dir/gardefou.db" --out "$dir/report.html"
echo
echo "What an AI provider is sent of copy s-1001 (pseudonymised; the author is [ELEVE_1]):"
build/service/gardefou pseudonymize --roster examples/demo/roster.json --class 3B \
  --author s-1001 < examples/demo/copies/s-1001.txt | sed 's/^/   /'
