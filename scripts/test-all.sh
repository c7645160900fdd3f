#!/usr/bin/env bash
# Runs every test of the workspace. Prepares what the tests need beyond the Rust toolchain:
# a Python virtual environment with aiosmtpd, the independent SMTP server of the
# interoperability tests. Without Python those tests say they did not run (and fail under CI).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/aiosmtpd-venv
if command -v python3 >/dev/null 2>&1; then
  if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    echo "==> installing aiosmtpd into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6'
  fi
  export MAILCONF_AIOSMTPD_PYTHON="$PWD/$venv/bin/python"
else
  echo "==> python3 not found: the aiosmtpd interoperability tests will report that they did not run"
fi

exec cargo test --workspace "$@"
