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

/// Runs `support/SCRIPT` with `python` and `args`, writes `input` to its standard input and
/// reads its standard output as JSON.
///
/// # Panics
/// When Python cannot start, fails, or prints something that is not JSON.
#[must_use]
pub fn run_script(
    python: &Path,
    script: &str,
    args: &[&std::ffi::OsStr],
    input: &[u8],
) -> serde_json::Value {
    use std::io::Write as _;
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("support")
        .join(script);
    let mut child = Command::new(python)
        .arg(path)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input)
        .unwrap_or_else(|e| panic!("write the input of {script}: {e}"));
    let out = child.wait_with_output().expect("python's output");
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{script} prints JSON: {e}"))
}
