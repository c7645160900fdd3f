//! What this crate's unit tests share.

use mailconf_core::FromValue;

/// Each of `inputs` is refused by `T` with the error code `code`.
#[track_caller]
pub(crate) fn assert_rejects<T: FromValue + std::fmt::Debug>(inputs: &[&str], code: &str) {
    for input in inputs {
        match T::from_value(input) {
            Ok(value) => panic!("{input:?} was accepted as {value:?}"),
            Err(e) => assert_eq!(e.code, code, "{input:?}: {e}"),
        }
    }
}
