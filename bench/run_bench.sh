#!/usr/bin/env bash
# `make bench`: runs every benchmark and prints its figures. Sizes: BENCH_SIGNOFFS,
# BENCH_PG_SIGNOFFS (and BENCH_PGBENCH_SECONDS), BENCH_IDENTITY_CALLS, BENCH_PSEUDONYM_MB,
# BENCH_AUDIT_EVENTS; CORPUS=DIR for another labelled corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
build/bench/service_bench "${BENCH_SIGNOFFS:-400}"
build/bench/postgres_bench "${BENCH_PG_SIGNOFFS:-200}" "${BENCH_PGBENCH_SECONDS:-2}" \
  build/service/gardefou
build/bench/identity_bench "${BENCH_IDENTITY_CALLS:-2000}"
build/bench/pseudonym_bench --corpus "${CORPUS:-}" --mb "${BENCH_PSEUDONYM_MB:-100}"
build/bench/audit_bench "${BENCH_AUDIT_EVENTS:-1000000}" build/service/gardefou
