//! `FromValue` for the standard types a settings struct uses.

use std::path::PathBuf;

use crate::number::{WholeNumber, whole_number};
use crate::{FromValue, Invalid, Message};

impl FromValue for String {
    const TYPE_NAME: &'static str = "string";
    fn from_value(raw: &str) -> Result<Self, Invalid> {
        Ok(raw.to_owned())
    }
}

impl FromValue for PathBuf {
    const TYPE_NAME: &'static str = "path";
    fn from_value(raw: &str) -> Result<Self, Invalid> {
        if raw.is_empty() {
            return Err(
                Invalid::new("invalid_path", Message::new("value-path-empty"))
                    .with_hint(Message::new("value-path-empty-hint")),
            );
        }
        Ok(PathBuf::from(raw))
    }
}

impl FromValue for bool {
    const TYPE_NAME: &'static str = "boolean";
    const JSON_TYPE: &'static str = "boolean";
    /// The spellings pydantic accepts, in any case. Unlike numbers, surrounding spaces are not
    /// ignored: pydantic refuses them too.
    fn from_value(raw: &str) -> Result<Self, Invalid> {
        const TRUE: [&str; 6] = ["true", "t", "yes", "y", "on", "1"];
        const FALSE: [&str; 6] = ["false", "f", "no", "n", "off", "0"];
        if TRUE.iter().any(|t| raw.eq_ignore_ascii_case(t)) {
            Ok(true)
        } else if FALSE.iter().any(|f| raw.eq_ignore_ascii_case(f)) {
            Ok(false)
        } else {
            let e = Invalid::new("invalid_bool", Message::new("value-bool-expected"));
            Err(if raw.ends_with('\r') {
                e.with_hint(Message::new("value-bool-carriage-return"))
            } else if raw.trim() != raw && !raw.trim().is_empty() {
                e.with_hint(Message::new("value-remove-spaces"))
            } else {
                e.with_hint(Message::new("value-bool-spellings"))
            })
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            const TYPE_NAME: &'static str = "integer";
            const JSON_TYPE: &'static str = "integer";
            fn from_value(raw: &str) -> Result<Self, Invalid> {
                integer(raw, <$t>::MIN as i128, <$t>::MAX as i128)
                    .map(|n| <$t>::try_from(n).expect("checked against the bounds"))
            }
        }
    )*};
}

integers!(u8, u16, u32, u64, usize, i8, i16, i32, i64);

/// A whole number from `min` to `max`, spelled as pydantic accepts one ([`whole_number`]).
fn integer(raw: &str, min: i128, max: i128) -> Result<i128, Invalid> {
    let message = || {
        Message::new("value-integer-expected")
            .arg("min", min.to_string())
            .arg("max", max.to_string())
    };
    match whole_number(raw) {
        WholeNumber::Value(n) if (min..=max).contains(&n) => Ok(n),
        WholeNumber::Value(_) | WholeNumber::TooLarge => Err(Invalid::new(
            "out_of_range",
            Message::new("value-out-of-range").arg("reason", message()),
        )),
        WholeNumber::Fraction => Err(Invalid::new("invalid_integer", message())
            .with_hint(Message::new("value-remove-fraction"))),
        WholeNumber::NotANumber => Err(Invalid::new("invalid_integer", message())),
    }
}

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            const TYPE_NAME: &'static str = "number";
            const JSON_TYPE: &'static str = "number";
            fn from_value(raw: &str) -> Result<Self, Invalid> {
                // Surrounding whitespace is ignored, as for whole numbers and as pydantic does.
                match raw.trim().parse::<$t>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    Ok(_) => Err(Invalid::new("invalid_number", Message::new("value-number-not-finite"))),
                    Err(_) => Err(Invalid::new("invalid_number", Message::new("value-number-expected"))),
                }
            }
        }
    )*};
}

floats!(f32, f64);

impl<T: FromValue> FromValue for Option<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    const JSON_TYPE: &'static str = T::JSON_TYPE;
    const SECRET: bool = T::SECRET;
    const OPTIONAL: bool = true;
    const CHOICES: &'static [&'static str] = T::CHOICES;

    /// An empty value means "not set", as container platforms often pass `NAME=` for unset.
    fn from_value(raw: &str) -> Result<Self, Invalid> {
        if raw.is_empty() {
            Ok(None)
        } else {
            T::from_value(raw).map(Some)
        }
    }

    fn when_missing() -> Option<Self> {
        Some(None)
    }
}

/// A comma-separated list; spaces around each item are ignored and an empty value is an empty list.
impl<T: FromValue> FromValue for Vec<T> {
    const TYPE_NAME: &'static str = "comma-separated list";
    const SECRET: bool = T::SECRET;

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        if raw.trim().is_empty() {
            return Ok(Vec::new());
        }
        raw.split(',')
            .enumerate()
            .map(|(i, item)| {
                let item = item.trim();
                if item.is_empty() {
                    return Err(Invalid::new(
                        "empty_item",
                        Message::new("value-list-item-empty").arg("index", i + 1),
                    )
                    .with_hint(Message::new("value-list-item-empty-hint")));
                }
                T::from_value(item).map_err(|e| Invalid {
                    message: Message::new("value-list-item")
                        .arg("index", i + 1)
                        .arg("reason", e.message),
                    ..e
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::assert_hint_contains;

    #[test]
    fn bools_accept_pydantics_spellings_in_any_case() {
        for t in [
            "true", "TRUE", "t", "T", "1", "yes", "Yes", "y", "Y", "on", "ON", "oN",
        ] {
            assert_eq!(bool::from_value(t), Ok(true), "{t}");
        }
        for f in [
            "false", "False", "f", "F", "0", "no", "NO", "n", "N", "off", "Off",
        ] {
            assert_eq!(bool::from_value(f), Ok(false), "{f}");
        }
        // pydantic refuses these too: spaces are not trimmed around a boolean.
        for bad in [
            "", "2", "truee", "tru", "1.0", " true", "true ", "true\r", "yes\n",
        ] {
            assert_eq!(
                bool::from_value(bad).unwrap_err().code,
                "invalid_bool",
                "{bad:?}"
            );
        }
        assert_hint_contains(bool::from_value("true\r"), "Windows");
        assert_hint_contains(bool::from_value(" on"), "spaces");
    }

    #[test]
    fn integers_report_range_and_fractions() {
        assert_eq!(u8::from_value("255"), Ok(255));
        let e = u8::from_value("256").unwrap_err();
        assert_eq!(e.code, "out_of_range");
        assert!(e.message.to_string().contains("0 to 255"), "{}", e.message);
        assert_eq!(u8::from_value("-1").unwrap_err().code, "out_of_range");
        assert_eq!(u16::from_value("abc").unwrap_err().code, "invalid_integer");
        assert_hint_contains(u16::from_value("2.5"), "fractional");
        assert_eq!(i32::from_value("-7"), Ok(-7));
        assert_eq!(usize::from_value("12"), Ok(12));
        assert_eq!(u64::from_value(&u64::MAX.to_string()), Ok(u64::MAX));
        assert_eq!(i64::from_value(&i64::MIN.to_string()), Ok(i64::MIN));
        assert_eq!(
            u64::from_value(&"9".repeat(40)).unwrap_err().code,
            "out_of_range"
        );
    }

    #[test]
    fn integers_take_the_spellings_pydantic_takes() {
        for raw in ["60", " 60 ", "60\r", "60.0", "+60", "6_0", "060"] {
            assert_eq!(u32::from_value(raw), Ok(60), "{raw:?}");
        }
        for raw in ["", "60.", "6e1", "0x3c", "6 0"] {
            assert_eq!(
                u32::from_value(raw).unwrap_err().code,
                "invalid_integer",
                "{raw:?}"
            );
        }
    }

    #[test]
    fn floats_must_be_finite() {
        assert_eq!(f64::from_value("2.5"), Ok(2.5));
        assert_eq!(f64::from_value(" 2.5\r"), Ok(2.5));
        assert!(f64::from_value("NaN").is_err());
        assert!(f64::from_value("inf").is_err());
        assert!(f32::from_value("x").is_err());
    }

    #[test]
    fn option_treats_empty_as_unset() {
        assert_eq!(Option::<u16>::from_value(""), Ok(None));
        assert_eq!(Option::<u16>::from_value("3"), Ok(Some(3)));
        assert!(Option::<u16>::from_value("x").is_err());
        assert_eq!(Option::<u16>::when_missing(), Some(None));
        assert_eq!(u16::when_missing(), None);
    }

    #[test]
    fn lists_are_comma_separated_and_name_the_bad_item() {
        assert_eq!(Vec::<u16>::from_value("1, 2,3"), Ok(vec![1, 2, 3]));
        assert_eq!(Vec::<u16>::from_value(""), Ok(vec![]));
        let e = Vec::<u16>::from_value("1,x").unwrap_err();
        assert!(
            e.message.to_string().starts_with("item 2:"),
            "{}",
            e.message
        );
        assert_eq!(
            Vec::<u16>::from_value("1,,2").unwrap_err().code,
            "empty_item"
        );
    }

    #[test]
    fn strings_and_paths() {
        assert_eq!(String::from_value(""), Ok(String::new()));
        assert_eq!(PathBuf::from_value("/tmp/x"), Ok(PathBuf::from("/tmp/x")));
        assert_eq!(PathBuf::from_value("").unwrap_err().code, "invalid_path");
    }
}
