//! The compile-time check of `#[mailconf(default = ...)]` literals, run by `mailconf-derive`
//! with the very parsers used at run time.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use crate::{EmailAddress, FromValue, Host, Invalid, Mailbox, Port};

/// The kind of a Rust literal written as a default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    /// `"text"`
    Str,
    /// `587`
    Int,
    /// `2.5`
    Float,
    /// `true`
    Bool,
}

/// Checks a literal default for a field whose type is named `type_name` (the last path segment,
/// such as `Port` or `bool`). `text` is the literal's value as it would be read from the
/// environment.
///
/// Returns `None` for a type this crate does not know: the default is then checked when loading.
pub fn check_literal(
    type_name: &str,
    kind: LiteralKind,
    text: &str,
) -> Option<Result<(), Invalid>> {
    use LiteralKind::{Bool, Float, Int, Str};
    let kinds: &[LiteralKind] = match type_name {
        "bool" => &[Bool],
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "Port" => &[Int],
        "f32" | "f64" => &[Int, Float],
        "Duration" => &[Int, Str],
        "String" | "PathBuf" | "Host" | "EmailAddress" | "Mailbox" | "Url" | "IpAddr"
        | "Ipv4Addr" | "Ipv6Addr" | "SocketAddr" => &[Str],
        _ => return None,
    };
    if !kinds.contains(&kind) {
        let expected = kinds
            .iter()
            .map(|k| describe(*k))
            .collect::<Vec<_>>()
            .join(" or ");
        return Some(Err(Invalid::new(
            "wrong_literal",
            format!(
                "a `{type_name}` default must be {expected}, not {}",
                describe(kind)
            ),
        )));
    }
    let parsed = match type_name {
        "bool" => bool::from_value(text).map(drop),
        "u8" => u8::from_value(text).map(drop),
        "u16" => u16::from_value(text).map(drop),
        "u32" => u32::from_value(text).map(drop),
        "u64" => u64::from_value(text).map(drop),
        "usize" => usize::from_value(text).map(drop),
        "i8" => i8::from_value(text).map(drop),
        "i16" => i16::from_value(text).map(drop),
        "i32" => i32::from_value(text).map(drop),
        "i64" => i64::from_value(text).map(drop),
        "f32" => f32::from_value(text).map(drop),
        "f64" => f64::from_value(text).map(drop),
        "Port" => Port::from_value(text).map(drop),
        "Duration" => Duration::from_value(text).map(drop),
        "Host" => Host::from_value(text).map(drop),
        "EmailAddress" => EmailAddress::from_value(text).map(drop),
        "Mailbox" => Mailbox::from_value(text).map(drop),
        "Url" => url::Url::from_value(text).map(drop),
        "IpAddr" => IpAddr::from_value(text).map(drop),
        "Ipv4Addr" => Ipv4Addr::from_value(text).map(drop),
        "Ipv6Addr" => Ipv6Addr::from_value(text).map(drop),
        "SocketAddr" => SocketAddr::from_value(text).map(drop),
        _ => Ok(()),
    };
    Some(parsed)
}

fn describe(kind: LiteralKind) -> &'static str {
    match kind {
        LiteralKind::Str => "a string literal",
        LiteralKind::Int => "an integer literal",
        LiteralKind::Float => "a float literal",
        LiteralKind::Bool => "`true` or `false`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LiteralKind::*;

    #[test]
    fn uses_the_runtime_rules() {
        assert_eq!(check_literal("Port", Int, "587"), Some(Ok(())));
        assert_eq!(
            check_literal("Port", Int, "0").unwrap().unwrap_err().code,
            "invalid_port"
        );
        assert_eq!(
            check_literal("Duration", Str, "10x")
                .unwrap()
                .unwrap_err()
                .code,
            "invalid_duration"
        );
        assert_eq!(
            check_literal("EmailAddress", Str, "nope")
                .unwrap()
                .unwrap_err()
                .code,
            "invalid_email"
        );
        assert_eq!(check_literal("MyType", Str, "anything"), None);
        assert_eq!(
            check_literal("Url", Str, "https://example.com/"),
            Some(Ok(()))
        );
        assert_eq!(
            check_literal("Url", Str, "example.com")
                .unwrap()
                .unwrap_err()
                .code,
            "invalid_url"
        );
        assert!(check_literal("IpAddr", Str, "::1").unwrap().is_ok());
        assert!(
            check_literal("SocketAddr", Str, "127.0.0.1")
                .unwrap()
                .is_err()
        );
        assert!(check_literal("Ipv4Addr", Int, "1").unwrap().is_err());
    }

    #[test]
    fn rejects_the_wrong_kind_of_literal() {
        let e = check_literal("bool", Str, "yes").unwrap().unwrap_err();
        assert_eq!(e.code, "wrong_literal");
        assert!(
            e.message.to_string().contains("`true` or `false`"),
            "{}",
            e.message
        );
        assert!(check_literal("Port", Str, "587").unwrap().is_err());
        assert_eq!(check_literal("Duration", Int, "60"), Some(Ok(())));
    }
}
