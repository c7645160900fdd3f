# Sourced by scripts/fuzz.sh (CI's short run) and scripts/fuzz-campaign.sh (the long run):
# the one list of fuzz targets, what each one's input may be at most, and the build.
#
# -max_len per target: an input longer than the type it stands for only costs time. A setting's
# value (values, url) is checked against limits of at most 253-254 bytes (host names, addresses),
# so 512 bytes cross every limit with room to spare; a whole `.env` file or JSON body needs more.
# Structure-aware targets (map, message) read their shape from the bytes, 2 KiB is many fields.

# Every target, in the order the short run takes them.
FUZZ_TARGETS=(values url dotenv json map dotenv_writer migrate message email template oauth2_token)

# The -max_len of a target.
fuzz_max_len() {
  case "$1" in
    values | url) echo 512 ;;
    *) echo 2048 ;;
  esac
}

FUZZ_TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/target/fuzz}"
FUZZ_BIN_DIR="$CARGO_TARGET_DIR/$FUZZ_TRIPLE/release"

# Builds every target with stable rustc. cargo-fuzz needs nightly for its default
# `-Zsanitizer=address`; libFuzzer itself only needs the SanitizerCoverage instrumentation that
# stable rustc enables with -Cpasses=sancov-module and the LLVM flags below (the same set
# cargo-fuzz passes). `--target` keeps those flags off build scripts and proc macros, which do
# not link libFuzzer. Not --locked: fuzz/Cargo.lock is its own, and a dependency added to a
# library crate must not break this step; cargo adds what is missing and keeps every version
# already locked.
fuzz_build() {
  echo "==> building the fuzz targets (stable rustc, SanitizerCoverage for libFuzzer)"
  (
    cd fuzz
    RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
-Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares \
-Cdebug-assertions -Coverflow-checks" \
      cargo build --release --target "$FUZZ_TRIPLE" --bins --quiet
  )
}

# The options every run of a target shares: its dictionary, input size, and limits.
# -timeout: an input that takes longer is a hang, reported as a crash.
# -rss_limit_mb: an input that needs more memory is reported too (an endless read, say).
fuzz_options() {
  local target="$1"
  echo "-max_len=$(fuzz_max_len "$target") -timeout=10 -rss_limit_mb=2048"
  if [[ -f "fuzz/dict/$target.dict" ]]; then echo "-dict=fuzz/dict/$target.dict"; fi
}
