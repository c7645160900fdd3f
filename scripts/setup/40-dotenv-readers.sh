# Sourced by scripts/test-all.sh. The .env readers the settings page's files are checked
# against (mailconf-core's dotenv_file tests): python-dotenv and pydantic-settings come from the
# shared venv (tests/support/requirements/), Node's `dotenv` from npm into target/dotenv-node,
# bash is bash. Exports MAILCONF_NODE_DOTENV (the folder holding node_modules/dotenv).
node_dir="$PWD/target/dotenv-node"
node_pkg="dotenv@18.0.10"
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  if [[ "$(cat "$node_dir/.installed" 2>/dev/null || true)" != "$node_pkg" ]]; then
    echo "==> installing $node_pkg into $node_dir"
    mkdir -p "$node_dir"
    if npm install --silent --no-audit --no-fund --prefix "$node_dir" "$node_pkg" >/dev/null; then
      printf '%s' "$node_pkg" >"$node_dir/.installed"
    else
      echo "==> npm install $node_pkg failed: the Node dotenv reader test will report SKIPPED (and fail under CI)"
    fi
  fi
  [[ -f "$node_dir/.installed" ]] && export MAILCONF_NODE_DOTENV="$node_dir"
else
  echo "==> node/npm not found: the Node dotenv reader test will report SKIPPED (and fail under CI)"
fi
