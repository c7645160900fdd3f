//! How a whole number is spelled in a setting. The rules are pydantic's (the settings library of
//! fastapi-mail and most Python services), so a `.env` that one reads, the other reads alike.

/// What a value spells, read as a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WholeNumber {
    /// A whole number, with any sign.
    Value(i128),
    /// Digits, but more than any setting could hold.
    TooLarge,
    /// A number with a fractional part that is not zero, such as `2.5`.
    Fraction,
    /// Not a number at all.
    NotANumber,
}

/// Reads `raw` as pydantic reads an integer from a string: surrounding whitespace is ignored
/// (a trailing `\r` from a file saved with Windows line ends too), then an optional `+` or `-`,
/// digits with single `_` between them (`1_000`), and an optional fraction of zeros (`587.0`).
/// Exponents (`1e3`), hex (`0x24b`), a bare trailing dot (`587.`) and non-ASCII digits are not
/// numbers.
pub(crate) fn whole_number(raw: &str) -> WholeNumber {
    let text = raw.trim();
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    if !is_digit_groups(whole) {
        return WholeNumber::NotANumber;
    }
    if let Some(fraction) = fraction {
        if !is_digit_groups(fraction) {
            return WholeNumber::NotANumber;
        }
        if fraction.bytes().any(|b| b != b'0' && b != b'_') {
            return WholeNumber::Fraction;
        }
    }
    let digits = whole.bytes().filter(|&b| b != b'_');
    let mut value: i128 = 0;
    for digit in digits {
        let Some(next) = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(digit - b'0')))
        else {
            return WholeNumber::TooLarge;
        };
        value = next;
    }
    WholeNumber::Value(if negative { -value } else { value })
}

/// ASCII digits, where a `_` may stand between two of them.
fn is_digit_groups(text: &str) -> bool {
    !text.is_empty()
        && text
            .split('_')
            .all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::WholeNumber::{Fraction, NotANumber, TooLarge, Value};
    use super::*;

    /// Every spelling below was run through pydantic 2 (`int` field, lax mode): the accepted
    /// ones give the value shown, the others a validation error.
    #[test]
    fn reads_what_pydantic_reads() {
        for (raw, n) in [
            ("587", 587),
            ("587.0", 587),
            ("587.000", 587),
            ("+587", 587),
            ("+587.0", 587),
            (" 587 ", 587),
            ("587\r", 587),
            ("\t587\n", 587),
            ("0587", 587),
            ("5_87", 587),
            ("-1", -1),
            ("-0", 0),
        ] {
            assert_eq!(whole_number(raw), Value(n), "{raw:?}");
        }
        for raw in [
            "", " ", "587.", ".5", "1e3", "0x24b", "_587", "587_", "5__87", "5 87", "+-5", "--5",
            "٥٨٧", "587.0.0", "abc",
        ] {
            assert_eq!(whole_number(raw), NotANumber, "{raw:?}");
        }
        assert_eq!(whole_number("587.5"), Fraction);
        assert_eq!(whole_number("587.10"), Fraction);
        assert_eq!(whole_number(&"9".repeat(60)), TooLarge);
    }
}
