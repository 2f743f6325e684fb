#!/usr/bin/env bash
# `make fuzz`: builds the fuzz targets (fuzz/) with clang-14, libFuzzer, ASan and UBSan in
# build-fuzz/, then runs each for FUZZ_SECONDS (60) on a scratch copy of its seed corpus, so
# that fuzz/corpus/ stays as committed. A crashing input is kept in build-fuzz/artifacts/ and
# makes the exit status 1; each target's log is in build-fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
names=()
for corpus in fuzz/corpus/*/; do names+=("$(basename "$corpus")"); done

cmake -S . -B "$dir" -DGARDEFOU_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build "$dir" -j "${JOBS:-1}" --target "${names[@]/#/fuzz_}"

mkdir -p "$dir/artifacts" "$dir/logs"
failed=0
summary=()
for name in "${names[@]}"; do
  scratch="$dir/corpus/$name"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  cp fuzz/corpus/"$name"/* "$scratch"/
  log="$dir/logs/$name.log"
  echo "fuzz: $name for ${seconds} s"
  status=ok
  "$dir/fuzz/fuzz_$name" "$scratch" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" >"$log" 2>&1 || status=FAILED
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary+=("$(printf '%-16s %10s executions  %s' "$name" "${runs:-?}" "$status")")
  if [ "$status" != ok ]; then
    failed=1
    grep -m1 -E 'ERROR: |runtime error|deadly signal|timeout' "$log" || true
  fi
done
printf '%s\n' "${summary[@]}"
[ "$failed" -eq 0 ] || { echo "fuzz: see $dir/logs/ and $dir/artifacts/" >&2; exit 1; }
