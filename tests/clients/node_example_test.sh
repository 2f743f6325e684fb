#!/usr/bin/env bash
# The Node example (examples/node/lms_flow.js) against a real server: starts
# `gardefou serve --dev-headers` on a free loopback port with a fresh SQLite file in a temporary
# directory (removed at the end), runs the example, then stops the server with SIGTERM.
#
#   node_example_test.sh GARDEFOU_BINARY SOURCE_DIR
#
# Node: $NODE, else Debian's /usr/bin/node, else `node` on PATH. The example's packages come
# from examples/node/node_modules, installed by scripts/install_deps.sh (npm ci); nothing is
# downloaded here. Every wait is bounded. Exit 0 when the example and a clean stop succeed.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 GARDEFOU_BINARY SOURCE_DIR" >&2
  exit 2
fi
binary="$1"
example="$2/examples/node"

node="${NODE:-}"
if [ -z "$node" ]; then
  if [ -x /usr/bin/node ]; then node=/usr/bin/node; else node="$(command -v node || true)"; fi
fi
if [ -z "$node" ]; then
  echo "FAIL: no node (Debian package nodejs): run scripts/install_deps.sh" >&2
  exit 1
fi
for pkg in @grpc/grpc-js @grpc/proto-loader; do
  if [ ! -f "$example/node_modules/$pkg/package.json" ]; then
    echo "FAIL: $example/node_modules/$pkg is missing: run scripts/install_deps.sh" \
         "(npm ci in examples/node)" >&2
    exit 1
  fi
done

work="$(mktemp -d /tmp/gardefou-node-example.XXXXXX)"
server=""
stop_server() {  # SIGTERM, up to 15 s, then SIGKILL; sets stop_code
  stop_code=""
  [ -n "$server" ] || return 0
  kill -TERM "$server" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server" 2>/dev/null && echo "the server ignored SIGTERM for 15 s: killed" >&2
  stop_code=0
  wait "$server" || stop_code=$?
  server=""
}
cleanup() {
  if [ -n "$server" ]; then
    stop_server
    echo "--- server output ---" >&2
    cat "$work/server.log" >&2 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$binary" serve --listen 127.0.0.1:0 --db "$work/gardefou.db" --dev-headers \
  </dev/null >"$work/server.log" 2>&1 &
server=$!

port=""
for _ in $(seq 300); do  # 30 s
  port="$(sed -n 's/^gardefou listening on port \([0-9][0-9]*\).*/\1/p' "$work/server.log")"
  [ -n "$port" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "FAIL: the server exited before listening" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "FAIL: the server did not say it listens within 30 s" >&2
  exit 1
fi
echo "ok: gardefou serve --dev-headers listening on port $port; $("$node" --version)"

rc=0
timeout -k 5 300 "$node" "$example/lms_flow.js" "127.0.0.1:$port" </dev/null || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "FAIL: lms_flow.js exited with $rc" >&2
  exit 1  # cleanup prints the server's output
fi

stop_server
if [ "$stop_code" != 0 ]; then
  echo "FAIL: the server exited with $stop_code after SIGTERM" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "ok: the server stopped cleanly on SIGTERM"
