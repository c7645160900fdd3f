//! The shared test venv (`target/test-venv`, built by `scripts/setup/10-python-venv.sh` from
//! `tests/support/requirements/*.txt`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The venv's Python (or the one the variable `var` names) if it can import `module`.
#[must_use]
pub fn python_with(var: &str, module: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os(var).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-venv/bin/python"),
        PathBuf::from,
    );
    let works = Command::new(&candidate)
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    works.then_some(candidate)
}
