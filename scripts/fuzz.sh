#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with stable Rust and runs each for N seconds.
#
#   scripts/fuzz.sh                # about 10 s per target (CI)
#   scripts/fuzz.sh 60 url json    # chosen targets only
#
# The long run, resumable, with figures for docs/RELIABILITY.md: scripts/fuzz-campaign.sh.
# The target list, per-target options and the build are in scripts/fuzz-common.sh.
#
# Inputs found during a run go to a scratch copy of the corpus (target/fuzz-corpus/<target>),
# not to the committed seeds in fuzz/corpus/<target>; a crash is written to
# target/fuzz-artifacts/<target>/ and fails the script. Replay one with
#   target/fuzz/<triple>/release/<target> target/fuzz-artifacts/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fuzz-common.sh

seconds="${1:-10}"
shift || true
targets=("${FUZZ_TARGETS[@]}")
if [[ $# -gt 0 ]]; then targets=("$@"); fi

fuzz_build

status=0
for target in "${targets[@]}"; do
  seeds="fuzz/corpus/$target"
  scratch="target/fuzz-corpus/$target"
  artifacts="target/fuzz-artifacts/$target"
  mkdir -p "$scratch" "$artifacts" "fuzz/corpus/$target"
  echo "==> fuzzing $target for ${seconds}s"
  log="target/fuzz-artifacts/$target.log"
  # shellcheck disable=SC2046 # the options are words
  if "$FUZZ_BIN_DIR/$target" "$scratch" "$seeds" $(fuzz_options "$target") \
      -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" \
      >"$log" 2>&1; then
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
