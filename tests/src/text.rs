//! Assertions on text a test reads back: a report, a schema table, a command's output.

/// Asserts that `text` holds every one of `parts`, showing `text` when one is missing.
///
/// # Panics
/// When a part is missing.
#[track_caller]
pub fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

/// The standard output of a program that ran to the end, which must have succeeded: `what`
/// it was and both its outputs in the panic message otherwise.
///
/// # Panics
/// When the program failed.
#[track_caller]
#[must_use]
pub fn succeeded(output: &std::process::Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}
