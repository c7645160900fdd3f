//! `Duration` settings: `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds (as fastapi-mail's
//! `TIMEOUT`).

use std::time::Duration;

use crate::number::{WholeNumber, whole_number};
use crate::{FromValue, Invalid, Message};

impl FromValue for Duration {
    const TYPE_NAME: &'static str = "duration";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        // A bare number is read as pydantic reads fastapi-mail's `TIMEOUT: int` (`60.0`, ` 60 `).
        let raw = raw.trim();
        match whole_number(raw) {
            WholeNumber::Value(seconds) if seconds < 0 => {
                return Err(Invalid::new(
                    "invalid_duration",
                    Message::new("value-duration-negative"),
                ));
            }
            WholeNumber::Value(seconds) => {
                return u64::try_from(seconds)
                    .ok()
                    .and_then(|s| s.checked_mul(1_000))
                    .map(Duration::from_millis)
                    .ok_or_else(|| Invalid::new("invalid_duration", too_long()));
            }
            WholeNumber::TooLarge => {
                return Err(Invalid::new("invalid_duration", too_long()));
            }
            WholeNumber::Fraction | WholeNumber::NotANumber => {}
        }
        let hint = || Message::new("value-duration-hint");
        let digits_end = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
        let (number, unit) = raw.split_at(digits_end);
        if number.is_empty() {
            return Err(
                Invalid::new("invalid_duration", Message::new("value-duration-expected"))
                    .with_hint(hint()),
            );
        }
        let scale_ms: u64 = match unit {
            "ms" => 1,
            "" | "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ if unit.trim().is_empty() || unit.starts_with('.') => {
                return Err(Invalid::new(
                    "invalid_duration",
                    Message::new("value-duration-whole-with-unit"),
                )
                .with_hint(hint()));
            }
            _ => {
                return Err(Invalid::new(
                    "invalid_duration",
                    Message::new("value-duration-unknown-unit"),
                )
                .with_hint(hint()));
            }
        };
        number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(scale_ms))
            .map(Duration::from_millis)
            .ok_or_else(|| Invalid::new("invalid_duration", too_long()))
    }
}

fn too_long() -> Message {
    Message::new("value-duration-too-long")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::assert_message_contains;

    #[test]
    fn accepts_each_unit_and_bare_seconds() {
        assert_eq!(
            Duration::from_value("500ms"),
            Ok(Duration::from_millis(500))
        );
        assert_eq!(Duration::from_value("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(Duration::from_value("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(Duration::from_value("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(Duration::from_value("60"), Ok(Duration::from_secs(60)));
        assert_eq!(Duration::from_value("0"), Ok(Duration::ZERO));
    }

    /// fastapi-mail's `TIMEOUT: int` is read by pydantic, which takes these spellings.
    #[test]
    fn bare_seconds_are_spelled_as_pydantic_spells_them() {
        for raw in ["60.0", " 60 ", "+60", "60\r", " 60s "] {
            assert_eq!(
                Duration::from_value(raw),
                Ok(Duration::from_secs(60)),
                "{raw:?}"
            );
        }
        assert_message_contains(Duration::from_value("-5"), "negative");
        assert!(Duration::from_value("60.5").is_err());
    }

    #[test]
    fn rejects_unknown_units_fractions_and_junk() {
        for bad in [
            "",
            "s",
            "10x",
            "10 s",
            "1.5s",
            "-1s",
            "10sec",
            "1d",
            "99999999999999999999",
        ] {
            let e = Duration::from_value(bad).unwrap_err();
            assert_eq!(e.code, "invalid_duration", "{bad}");
        }
        assert_message_contains(Duration::from_value("10x"), "unknown unit");
        assert!(Duration::from_value("18446744073709551615h").is_err());
    }
}
