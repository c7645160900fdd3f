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
