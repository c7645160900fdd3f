use std::fmt;

use secrecy::{ExposeSecret, SecretBox};
use zeroize::Zeroize;

use crate::{FromValue, Invalid};

/// What every mailconf output shows in place of a secret value.
pub const REDACTED: &str = "[redacted]";

/// A secret setting such as a password.
///
/// Built on the `secrecy` crate: `Debug` prints a redaction, there is no `Display`, the value is
/// read with [`Secret::expose_secret`] and zeroised when dropped. Errors about a secret setting
/// never show its input.
///
/// ```
/// use mailconf_values::{FromValue, Secret};
///
/// let pw = Secret::<String>::from_value("hunter2").unwrap();
/// assert_eq!(format!("{pw:?}"), "Secret([redacted])");
/// assert_eq!(pw.expose_secret(), "hunter2");
/// ```
pub struct Secret<T: Zeroize>(SecretBox<T>);

impl<T: Zeroize> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Secret(SecretBox::new(Box::new(value)))
    }

    /// Reads the secret. Keep the borrow short and never log it.
    pub fn expose_secret(&self) -> &T {
        self.0.expose_secret()
    }
}

impl<T: Zeroize + Clone> Clone for Secret<T> {
    fn clone(&self) -> Self {
        Secret::new(self.expose_secret().clone())
    }
}

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl<T: Zeroize> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret::new(value)
    }
}

/// A type that never shows its value: its `Debug` prints a redaction, and it has no `Display`.
///
/// `#[mailconf(secret)]` accepts only such types, so that the user's own `#[derive(Debug)]`
/// cannot print the secret. [`Secret<T>`] is one, and so is `Option` of one; implement it for a
/// type of your own only if no formatting of it shows the value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` shows its value in `Debug`, so `#[mailconf(secret)]` cannot keep it secret",
    label = "`{Self}` does not redact itself",
    note = "make the field a `mailconf_core::Secret<...>`, such as `Secret<String>` or `Option<Secret<String>>`: it redacts itself everywhere and needs no `#[mailconf(secret)]`",
    note = "a type of your own that never shows its value can implement `mailconf_core::SecretValue`"
)]
pub trait SecretValue {}

impl<T: Zeroize> SecretValue for Secret<T> {}

impl<T: SecretValue> SecretValue for Option<T> {}

impl<T: FromValue + Zeroize> FromValue for Secret<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    const JSON_TYPE: &'static str = T::JSON_TYPE;
    const SECRET: bool = true;

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        T::from_value(raw).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_clone_keeps_the_value() {
        let s = Secret::new(String::from("p4ssw0rd-xyz"));
        let c = s.clone();
        assert_eq!(
            format!("{s:?} {c:#?}"),
            "Secret([redacted]) Secret([redacted])"
        );
        assert_eq!(c.expose_secret(), "p4ssw0rd-xyz");
        const { assert!(<Secret<String> as FromValue>::SECRET) };
    }
}
