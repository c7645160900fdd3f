//! What a rejected load reported, in the form the `SmtpConfig` suites compare in one assertion.
//! Included by path in several suites, each of which uses a part of it.
#![allow(dead_code)]

use mailconf_core::Errors;

/// Each error's variable and its most specific code (the detail when there is one), in the
/// order the report lists them.
pub fn keys_and_codes(errors: &Errors) -> Vec<(String, &'static str)> {
    errors
        .iter()
        .map(|e| (e.key().to_owned(), e.detail().unwrap_or(e.code())))
        .collect()
}

/// The hint of the error on `key`, with the whole report in the panic message when there is no
/// such error or it has no hint.
#[track_caller]
pub fn hint_on(errors: &Errors, key: &str) -> String {
    errors
        .get(key)
        .unwrap_or_else(|| panic!("no error on {key}: {errors}"))
        .hint()
        .unwrap_or_else(|| panic!("no hint on {key}: {errors}"))
}
