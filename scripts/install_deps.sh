#!/usr/bin/env bash
# Installs the Debian packages gardefou needs, only those missing (checked with dpkg -s).
# Runs apt-get update once, and only when something is missing. Needs root (or sudo).
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
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
