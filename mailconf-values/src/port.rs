use std::fmt;
use std::num::NonZeroU16;

use crate::number::{WholeNumber, whole_number};
use crate::{FromValue, Invalid, Message};

/// A TCP port, 1–65535. Port 0 ("any port") is never a valid server port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Port(NonZeroU16);

impl Port {
    /// The port, or `None` for 0.
    pub const fn new(port: u16) -> Option<Port> {
        match NonZeroU16::new(port) {
            Some(p) => Some(Port(p)),
            None => None,
        }
    }

    /// The port number.
    pub const fn get(self) -> u16 {
        self.0.get()
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// So that a port can be a [`crate::Secret`]; zeroised to port 1, as a port is never 0.
impl zeroize::Zeroize for Port {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl From<Port> for u16 {
    fn from(port: Port) -> u16 {
        port.get()
    }
}

impl FromValue for Port {
    const TYPE_NAME: &'static str = "port";
    const JSON_TYPE: &'static str = "integer";

    /// Spelled as any whole number ([`u16`]'s rules, pydantic's): `587`, ` 587 `, `587.0`, `+587`.
    fn from_value(raw: &str) -> Result<Self, Invalid> {
        // Generic advice only: a `Port` may be an HTTP port as well as an SMTP one. A field that
        // knows which port it wants says so with `#[mailconf(hint = "...")]`.
        match whole_number(raw) {
            WholeNumber::Value(0) => Err(Invalid::new(
                "invalid_port",
                Message::new("value-port-zero"),
            )),
            WholeNumber::Value(n) if (1..=65535).contains(&n) => {
                Ok(Port::new(u16::try_from(n).expect("checked range")).expect("checked non-zero"))
            }
            WholeNumber::Value(n) if n < 0 => Err(Invalid::new(
                "invalid_port",
                Message::new("value-port-negative"),
            )),
            WholeNumber::Value(_) | WholeNumber::TooLarge => Err(Invalid::new(
                "invalid_port",
                Message::new("value-port-above-max"),
            )),
            WholeNumber::Fraction => Err(Invalid::new(
                "invalid_port",
                Message::new("value-port-expected"),
            )
            .with_hint(Message::new("value-remove-fraction"))),
            WholeNumber::NotANumber => Err(Invalid::new(
                "invalid_port",
                Message::new("value-port-expected"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::assert_message_contains;

    #[test]
    fn accepts_1_to_65535() {
        assert_eq!(Port::from_value("1").unwrap().get(), 1);
        assert_eq!(Port::from_value("587").unwrap().get(), 587);
        assert_eq!(Port::from_value("65535").unwrap().get(), 65535);
    }

    /// What pydantic's `int` reads, as in fastapi-mail's `MAIL_PORT: int`.
    #[test]
    fn accepts_the_spellings_pydantic_accepts() {
        for raw in [
            "587.0", "+587", " 587 ", "587\r", "\t587\n", "0587", "+587.00",
        ] {
            assert_eq!(Port::from_value(raw).map(Port::get), Ok(587), "{raw:?}");
        }
    }

    #[test]
    fn advice_is_not_about_smtp() {
        // A `Port` may be an application's HTTP port: SMTP advice belongs to SMTP fields.
        for bad in ["0", "65536", "abc", ""] {
            let e = Port::from_value(bad).unwrap_err();
            let text = format!("{} {:?}", e.message, e.hint);
            assert!(
                !text.contains("587") && !text.contains("SMTP"),
                "{bad}: {text}"
            );
        }
    }

    #[test]
    fn rejects_0_65536_and_junk() {
        for bad in [
            "0",
            "65536",
            "99999",
            "",
            "abc",
            "-1",
            "587.5",
            "587.",
            "5 87",
            "0x24b",
            "99999999999999",
        ] {
            assert_eq!(
                Port::from_value(bad).unwrap_err().code,
                "invalid_port",
                "{bad}"
            );
        }
        assert_message_contains(Port::from_value("0"), "port 0");
        assert_message_contains(Port::from_value("65536"), "65535");
    }
}
