#!/usr/bin/env bash
# The fresh-clone check: clones this repository's HEAD into an empty temporary directory,
# with nothing beside it, and runs what a new user runs: make test, make demo,
# make pii-report and a short make bench. Fails on any error and on any skipped test.
# Usage: scripts/check_fresh_clone.sh [--keep]   (--keep leaves the clone for inspection)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
keep="${1:-}"

workdir="$(mktemp -d /tmp/gardefou-fresh-clone.XXXXXX)"
if [[ "$keep" != "--keep" ]]; then
  trap 'rm -rf "$workdir"' EXIT
fi
git clone --quiet "$repo" "$workdir/gardefou"
cd "$workdir/gardefou"
echo "fresh-clone check in $workdir/gardefou at $(git rev-parse --short HEAD)"
if [[ "$(ls -A "$workdir")" != "gardefou" ]]; then
  echo "fresh-clone check: $workdir holds more than the clone" >&2
  exit 1
fi

step() { echo; echo "=== fresh clone: $*"; }

step "make test"
make test 2>&1 | tee test.log
if grep -Eq "tests did not run|\*\*\*Skipped|\*\*\*Not Run|\*\*\*Disabled" test.log; then
  echo "fresh-clone check: some tests did not run (see above)" >&2
  exit 1
fi

step "make demo"
DEMO_PORT="${FRESH_DEMO_PORT:-50161}" make demo

step "make pii-report"
make pii-report

step "make bench (short)"
BENCH_SIGNOFFS=50 BENCH_PSEUDONYM_MB=2 BENCH_AUDIT_EVENTS=20000 BENCH_PG_SIGNOFFS=60 \
  BENCH_PGBENCH_SECONDS=1 make bench

echo
echo "fresh-clone check: OK"
