//! Edits of a fixture's variables, for the tests that load it with one setting changed.

/// `vars` without the variable `key`, for a test to add what stands in its place (a misspelt
/// or renamed key, a `_FILE` variant).
#[must_use]
pub fn without<'a>(vars: &[(&'a str, &'a str)], key: &str) -> Vec<(&'a str, &'a str)> {
    vars.iter().copied().filter(|(k, _)| *k != key).collect()
}
