#!/bin/bash
# tests/fuzz/run.sh [SECONDS] — the short fuzz run of the default test command.
#
# Builds the libFuzzer harnesses with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# in their own build folder (build-fuzz, or $VP_FUZZ_BUILD), then for each harness
# (tests/fuzz/fuzz_account.c, fuzz_templates.c) replays tests/fuzz/regressions/NAME/ and
# fuzzes for SECONDS / 2 (default SECONDS = 60). The corpus grows in
# build-fuzz/tests/fuzz/corpus/ from run to run. Ends with "N passed, N failed".
#
# Long runs (README of this folder):
#   tests/fuzz/run.sh 3600                      one hour, both harnesses
#   VP_FUZZ_ONLY=account tests/fuzz/run.sh 600 one harness
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
build=${VP_FUZZ_BUILD:-build-fuzz}
names=${VP_FUZZ_ONLY:-account templates}

if ! command -v clang >/dev/null; then
    echo "fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2
    echo "0 passed, 1 failed"; exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
    # -fsanitize=fuzzer-no-link: coverage feedback from the library too, not only the harness.
    mkdir -p "$build"
    if ! CC=clang meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined \
            -Db_lundef=false -Dbuildtype=debugoptimized \
            -Dc_args=-fsanitize=fuzzer-no-link >"$build/setup.log" 2>&1; then
        cat "$build/setup.log" >&2
        echo "0 passed, 1 failed"; exit 1
    fi
fi
targets=()
for n in $names; do targets+=("tests/fuzz/fuzz_$n"); done
if ! ninja -C "$build" "${targets[@]}" >"$build/fuzz-build.log" 2>&1; then
    tail -40 "$build/fuzz-build.log" >&2
    echo "0 passed, 1 failed"; exit 1
fi

count=$(echo $names | wc -w)
per=$(( secs / count )); [ $per -lt 1 ] && per=1
passed=0 failed=0
for n in $names; do
    out=$(tests/fuzz/fuzz_one.sh "$build/tests/fuzz/fuzz_$n" "$n" "$build/tests/fuzz" "$per")
    echo "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
    line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
    if [ -z "$line" ]; then
        failed=$((failed + 1))
        continue
    fi
    passed=$((passed + ${line%% passed*}))
    f=${line#*, }; failed=$((failed + ${f%% failed}))
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
