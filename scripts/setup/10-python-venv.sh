# Sourced by scripts/test-all.sh. One Python venv for every Python-side test component
# (aiosmtpd, and whatever tests/support/requirements/*.txt lists). Exports MAILCONF_PYTHON.
venv=target/test-venv
if command -v python3 >/dev/null 2>&1; then
  want="$(cat tests/support/requirements/*.txt | sort)"
  have="$(cat "$venv/.requirements" 2>/dev/null || true)"
  if [[ ! -x "$venv/bin/python" || "$want" != "$have" ]]; then
    echo "==> installing the test venv $venv ($(echo "$want" | grep -cv '^\s*\(#\|$\)') packages)"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check $(for f in tests/support/requirements/*.txt; do printf -- '-r %s ' "$f"; done)
    printf '%s' "$want" >"$venv/.requirements"
  fi
  export MAILCONF_PYTHON="$PWD/$venv/bin/python"
  # The aiosmtpd interop tests read this name.
  export MAILCONF_AIOSMTPD_PYTHON="$MAILCONF_PYTHON"
else
  echo "==> python3 not found: the Python-backed tests will report SKIPPED (and fail under CI)"
fi
