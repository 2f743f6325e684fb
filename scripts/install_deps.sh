#!/usr/bin/env bash
# Installs the Debian packages gardefou needs, only those missing (checked with dpkg -s).
# Runs apt-get update once, and only when something is missing. Needs root (or sudo).
# Then the Node example's npm packages (npm ci in examples/node) when they are missing.
# Arguments name extra packages a target needs (`make fuzz`: clang-14 libclang-rt-14-dev).
set -euo pipefail

packages=(
  cmake g++ make pkg-config git python3
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  python3-grpcio python3-protobuf  # the Python client test (/usr/bin/python3)
  libsqlite3-dev sqlite3 libsodium-dev libssl-dev nlohmann-json3-dev libre2-dev libcurl4-openssl-dev wfrench
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql libpq-dev  # libpq for the PostgreSQL engine; the server for its tests
  chromium fonts-dejavu-core  # the inspector report test renders the page headless
  nodejs npm  # the Node example (examples/node); its npm packages: npm ci below
  "$@"
)

# What the installed packages provide, e.g. npm by NodeSource's nodejs (which conflicts with
# Debian's npm): such a package counts as installed.
provided=" $(dpkg-query -W -f '${db:Status-Abbrev}${Provides}\n' 2>/dev/null |
  sed -n 's/^ii *//p' | sed 's/ *([^)]*)//g' | tr ',\n' '  ') "
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || [[ "$provided" == *" $p "* ]] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install_deps: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      echo "install_deps: not root and no sudo: install these packages: ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# The Node example's packages, exactly as in its committed package-lock.json, from npm (as the
# calling user): when node_modules is missing or older than the lock file. The only download
# outside apt; building and testing download nothing.
node_example="$(cd "$(dirname "$0")/../examples/node" && pwd)"
if [ ! -f "$node_example/node_modules/.package-lock.json" ] ||
   [ "$node_example/package-lock.json" -nt "$node_example/node_modules/.package-lock.json" ]; then
  echo "install_deps: npm ci in $node_example"
  (cd "$node_example" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
fi
