#!/usr/bin/env bash
# Runs every test of the workspace. First sources scripts/setup/*.sh, which install and prepare
# what the tests need beyond the Rust toolchain (a Python venv with aiosmtpd, and so on; see
# scripts/setup/README.md). A test whose component could not be prepared says SKIPPED loudly,
# and fails under CI.
set -euo pipefail
cd "$(dirname "$0")/.."

for setup in scripts/setup/*.sh; do
  # shellcheck source=/dev/null
  source "$setup"
done

exec cargo test --workspace "$@"
