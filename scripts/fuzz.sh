#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with stable Rust and runs each for N seconds.
#
#   scripts/fuzz.sh                # about 10 s per target (CI)
#   scripts/fuzz.sh 3600           # the long run: an hour per target
#   scripts/fuzz.sh 60 url json    # chosen targets only
#
# cargo-fuzz needs nightly for its default `-Zsanitizer=address`; libFuzzer itself only needs
# the SanitizerCoverage instrumentation that stable rustc enables with -Cpasses=sancov-module and
# the LLVM flags below (the same set cargo-fuzz passes). `--target` keeps those flags off build
# scripts and proc macros, which do not link libFuzzer.
#
# Inputs found during a run go to a scratch copy of the corpus (target/fuzz-corpus/<target>),
# not to the committed seeds in fuzz/corpus/<target>; a crash is written to
# target/fuzz-artifacts/<target>/ and fails the script. Replay one with
#   target/fuzz/<triple>/release/<target> target/fuzz-artifacts/<target>/crash-...
# To grow the committed seeds after a long run, minimise into them:
#   target/fuzz/<triple>/release/<target> -merge=1 fuzz/corpus/<target> target/fuzz-corpus/<target>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
shift || true
targets=(values url dotenv json map)
if [[ $# -gt 0 ]]; then targets=("$@"); fi

root="$PWD"
triple="$(rustc -vV | sed -n 's/^host: //p')"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$root/target/fuzz}"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
-Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares \
-Cdebug-assertions -Coverflow-checks"

echo "==> building the fuzz targets (stable rustc, SanitizerCoverage for libFuzzer)"
# Not --locked: fuzz/Cargo.lock is its own, and a dependency added to a library crate must not
# break this step; cargo adds what is missing and keeps every version already locked.
(cd fuzz && cargo build --release --target "$triple" --bins --quiet)

status=0
for target in "${targets[@]}"; do
  bin="$CARGO_TARGET_DIR/$triple/release/$target"
  seeds="fuzz/corpus/$target"
  scratch="target/fuzz-corpus/$target"
  artifacts="target/fuzz-artifacts/$target"
  mkdir -p "$scratch" "$artifacts"
  dict=()
  if [[ -f "fuzz/dict/$target.dict" ]]; then dict=("-dict=fuzz/dict/$target.dict"); fi
  echo "==> fuzzing $target for ${seconds}s"
  log="target/fuzz-artifacts/$target.log"
  # -timeout: an input that takes longer is a hang, reported as a crash.
  # -rss_limit_mb: an input that needs more memory is reported too (an endless read, say).
  if "$bin" "$scratch" "$seeds" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" >"$log" 2>&1; then
    grep -E '^#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added' "$log" \
      | tr '\n' ' ' | sed 's/^/    /'
    echo
  else
    status=1
    echo "!! $target failed; the end of its log ($log):"
    tail -n 40 "$log"
  fi
done
if [[ $status -ne 0 ]]; then
  echo "fuzzing found a problem: see target/fuzz-artifacts/"
fi
exit "$status"
