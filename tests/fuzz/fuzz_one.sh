#!/bin/bash
# fuzz_one.sh FUZZER NAME WORKDIR [SECONDS] — one libFuzzer harness, two checks:
#   1. every input in tests/fuzz/regressions/NAME/ runs once, cleanly;
#   2. fuzzing for SECONDS (default $VP_FUZZ_SECONDS, else 30) from the seed corpus
#      (account: examples/ and tests/data/; templates: report_templates/, written by the
#      harness itself) plus the corpus kept in WORKDIR/corpus/NAME between runs.
# Prints "ok|FAIL fuzz-NAME-..." per check and "N passed, N failed"; exit 1 on a failure.
# A crashing input is saved as WORKDIR/artifacts/NAME/crash-*; after fixing the bug,
# copy it to tests/fuzz/regressions/NAME/ so the default suite replays it for ever.
set -uo pipefail
fz=$1 name=$2 work=$3
secs=${4:-${VP_FUZZ_SECONDS:-30}}
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
corpus=$work/corpus/$name artifacts=$work/artifacts/$name seeds=$work/seeds/$name
mkdir -p "$corpus" "$artifacts" "$seeds"
export SOURCE_ROOT=$root
# Stop at the first sanitizer finding so libFuzzer saves the input.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
passed=0 failed=0

case $name in
    account) seed_dirs=("$root/examples" "$root/tests/data") ;;
    templates)
        VP_FUZZ_WRITE_SEEDS=$seeds "$fz" >"$work/seeds-$name.log" 2>&1 ||
            { echo "FAIL fuzz-$name: cannot write the seed corpus"; tail -20 "$work/seeds-$name.log"; }
        seed_dirs=("$seeds") ;;
    *) echo "fuzz_one.sh: unknown harness $name" >&2; exit 2 ;;
esac

# 1. The regressions, each run once.
mapfile -t regress < <(find "$src/regressions/$name" -type f ! -name '.*' | sort)
log=$work/regressions-$name.log
if [ ${#regress[@]} -eq 0 ] || "$fz" "${regress[@]}" >"$log" 2>&1; then
    echo "ok   fuzz-$name-regressions (${#regress[@]} inputs)"
    passed=$((passed + 1))
else
    echo "FAIL fuzz-$name-regressions"
    tail -40 "$log"
    failed=$((failed + 1))
fi

# 2. Fuzzing.
log=$work/fuzz-$name.log
start=$(date +%s)
"$fz" -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
      -dict="$src/json.dict" -artifact_prefix="$artifacts/" \
      "$corpus" "${seed_dirs[@]}" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
took=$(( $(date +%s) - start ))
if [ $rc -eq 0 ]; then
    echo "ok   fuzz-$name ($took s, ${runs:-?} runs, corpus $(find "$corpus" -type f | wc -l) files)"
    passed=$((passed + 1))
else
    echo "FAIL fuzz-$name (exit $rc after $took s; log $log)"
    grep -E "ERROR|invariant|SUMMARY|Test unit written|runtime error" "$log" | head -20
    tail -60 "$log"
    echo "reproduce: $fz <the crash file above>   (then keep it in tests/fuzz/regressions/$name/)"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
