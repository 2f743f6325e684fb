#!/usr/bin/env bash
# The demo: starts gardefou on a fresh build/demo/gardefou.db, runs the C++ LMS example against
# it, stops the server, and verifies the audit trail offline. The database is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."

port="${DEMO_PORT:-50051}"
dir=build/demo
mkdir -p "$dir"
rm -f "$dir"/gardefou.db "$dir"/gardefou.db-wal "$dir"/gardefou.db-shm

build/service/gardefou serve --db "$dir/gardefou.db" --listen "127.0.0.1:$port" \
  >"$dir/server.log" 2>&1 &
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
echo "What an AI provider is sent of copy s-1001 (pseudonymised; the author is [ELEVE_1]):"
build/service/gardefou pseudonymize --roster examples/demo/roster.json --class 3B \
  --author s-1001 < examples/demo/copies/s-1001.txt | sed 's/^/   /'
