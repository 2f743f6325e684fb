#!/usr/bin/env bash
# `make bench`: runs every benchmark and prints its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
build/bench/service_bench "${BENCH_SIGNOFFS:-400}"
build/bench/pseudonym_bench "" "${BENCH_PSEUDONYM_MB:-100}"
build/bench/audit_bench "${BENCH_AUDIT_EVENTS:-1000000}" build/service/gardefou
