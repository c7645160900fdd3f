//! Edits of a fixture's variables, for the tests that load it with one setting changed.

/// `vars` with the variable `key` replaced by `instead` (a misspelt or renamed key, a `_FILE`
/// variant, and whatever else the test adds), at the end.
#[must_use]
pub fn replacing<'a>(
    vars: &[(&'a str, &'a str)],
    key: &str,
    instead: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let kept = vars.iter().filter(|(k, _)| *k != key);
    kept.chain(instead).copied().collect()
}
