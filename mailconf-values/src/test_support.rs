//! Assertions shared by the unit tests of the value types.
//!
//! Most of those tests check what a refused value tells the user: the message says what is wrong
//! and the hint says how to fix it. Written out, each check is an unwrap chain that hides which
//! input failed; these name the input's result and the text expected in the panic message.

use std::fmt::Debug;

use crate::Invalid;

/// Asserts that `parsed` was refused with a hint that contains `expected`.
#[track_caller]
pub(crate) fn assert_hint_contains<T: Debug>(parsed: Result<T, Invalid>, expected: &str) {
    let e = parsed.expect_err("the value should have been refused");
    let hint = e
        .hint
        .as_ref()
        .unwrap_or_else(|| panic!("no hint with {:?}: {}", e.code, e.message))
        .to_string();
    assert!(hint.contains(expected), "hint {hint:?} lacks {expected:?}");
}

/// Asserts that `parsed` was refused with a message that contains `expected`.
#[track_caller]
pub(crate) fn assert_message_contains<T: Debug>(parsed: Result<T, Invalid>, expected: &str) {
    let message = parsed
        .expect_err("the value should have been refused")
        .message
        .to_string();
    assert!(
        message.contains(expected),
        "message {message:?} lacks {expected:?}"
    );
}
