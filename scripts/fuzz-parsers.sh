#!/usr/bin/env bash
# Builds the libFuzzer targets of FuzzTesting/ (release, AddressSanitizer) into .build/fuzz and runs each for
# FUZZ_SECONDS (default 300) from its checked-in corpus and past failures, with -timeout=1 so that a slow input
# fails too. A crash, a broken invariant or a timeout fails the run with the reproducer printed; copy it into
# FuzzTesting/FailCases/<target>/ so that `swift test` replays it. FUZZ_TARGETS narrows the run (`json gpx`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-300}
scratch="$root/.build/fuzz"
flags=(-c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
# On Linux gold fails to link the sanitized targets (an internal error in its DWARF reader); the toolchain's lld does not.
[ "$(uname)" = Linux ] && flags+=(-Xswiftc -use-ld=lld)
cd "$root/FuzzTesting"
start=$(date +%s)
swift build "${flags[@]}"
echo "fuzz targets built in $(($(date +%s) - start)) s"
bin=$(swift build "${flags[@]}" --show-bin-path)
targets=${FUZZ_TARGETS:-$(ls Corpora)}
status=0
for target in $targets; do
  findings="$scratch/findings/$target"
  grown="$scratch/corpus/$target"
  log="$scratch/logs/$target.log"
  rm -rf "$findings"
  mkdir -p "$findings" "$grown" "$(dirname "$log")"
  # The first directory takes what the fuzzer learns; the checked-in ones are only read.
  # Swift's own backtracer would race ASan's report of the same crash; libFuzzer's handler prints the stack.
  # Leaks are for `make sanitize`, which knows the third-party ones.
  if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$bin/fuzz-$target" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$grown" "Corpora/$target" "FailCases/$target" >"$log" 2>&1; then
    echo "$target: clean for $seconds s, $(grep -Eo 'average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$') executions/s"
  else
    status=1
    echo "$target: FAILED; the end of its log:"
    tail -n 40 "$log"
    for reproducer in "$findings"/*; do
      [ -f "$reproducer" ] || continue
      echo "reproducer $reproducer ($(wc -c <"$reproducer") bytes; replay with $bin/fuzz-$target $reproducer):"
      od -A d -c "$reproducer" | head -n 40
    done
  fi
done
exit $status
