//! `Parsed<T>`: any `FromStr` type as a setting, without writing a `FromValue` impl.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::str::FromStr;

use crate::{FromValue, Invalid, Message};

/// A setting parsed with `T`'s [`FromStr`]: the opt-in for types mailconf does not know, such as
/// `ipnet::IpNet` or your own, without writing a [`FromValue`] impl.
///
/// The error message is `T::Err`'s `Display`, which therefore must not quote the input if the
/// setting can hold a secret. A literal `default = "..."` is parsed when the settings load (a
/// bad one is a keyed error with origin "default"), not at compile time: `FromStr` cannot run
/// at compile time.
///
/// ```
/// use mailconf_values::{FromValue, Parsed};
///
/// #[derive(Debug, PartialEq)]
/// struct Percent(u8);
///
/// impl std::str::FromStr for Percent {
///     type Err = String;
///     fn from_str(s: &str) -> Result<Self, String> {
///         match s.trim_end_matches('%').parse::<u8>() {
///             Ok(n) if n <= 100 => Ok(Percent(n)),
///             _ => Err("expected a percentage from 0% to 100%".into()),
///         }
///     }
/// }
///
/// let p: Parsed<Percent> = Parsed::from_value("42%").unwrap();
/// assert_eq!(*p, Percent(42));
/// assert_eq!(p.into_inner(), Percent(42));
/// let e = Parsed::<Percent>::from_value("420").unwrap_err();
/// assert_eq!(e.code, "invalid_value");
/// assert_eq!(e.message, "expected a percentage from 0% to 100%");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Parsed<T>(pub T);

impl<T> Parsed<T> {
    /// The parsed value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Parsed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Parsed<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Parsed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Parsed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> FromValue for Parsed<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    const TYPE_NAME: &'static str = "value";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        raw.parse::<T>()
            .map(Parsed)
            .map_err(|e| Invalid::new("invalid_value", Message::text(e.to_string())))
    }
}
