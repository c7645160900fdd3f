use std::fmt;

use crate::{EmailAddress, FromValue, Invalid, Message};

/// A sender or recipient with an optional display name: `Example App <app@example.com>` or a
/// bare `app@example.com`.
///
/// Line breaks are rejected anywhere: in a display name they would let a value inject headers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox {
    /// The display name, without quotes.
    pub name: Option<String>,
    /// The address.
    pub email: EmailAddress,
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            None => self.email.fmt(f),
            // Unquoted, a name is read back trimmed: one that starts or ends with a space
            // (or is only spaces) keeps them only in quotes.
            Some(name)
                if name.chars().all(|c| c.is_alphanumeric() || c == ' ')
                    && !name.starts_with(' ')
                    && !name.ends_with(' ') =>
            {
                write!(f, "{name} <{}>", self.email)
            }
            Some(name) => {
                let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
                write!(f, "\"{escaped}\" <{}>", self.email)
            }
        }
    }
}

impl FromValue for Mailbox {
    const TYPE_NAME: &'static str = "mailbox (Name <address>)";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        if raw.contains(['\r', '\n']) {
            return Err(
                Invalid::new("invalid_mailbox", Message::new("value-mailbox-line-break"))
                    .with_hint(Message::new("value-mailbox-line-break-hint")),
            );
        }
        // Spaces around the whole value are ignored, as pydantic's `EmailStr` does.
        let raw = raw.trim();
        let Some(open) = raw.find('<') else {
            let email = EmailAddress::from_value(raw)?;
            return Ok(Mailbox { name: None, email });
        };
        let Some(inner) = raw[open + 1..].strip_suffix('>') else {
            return Err(Invalid::new(
                "invalid_mailbox",
                Message::new("value-mailbox-brackets"),
            ));
        };
        let email = EmailAddress::from_value(inner)?;
        let name = unquote(raw[..open].trim())?;
        Ok(Mailbox {
            name: (!name.is_empty()).then_some(name),
            email,
        })
    }
}

fn unquote(name: &str) -> Result<String, Invalid> {
    let Some(quoted) = name.strip_prefix('"') else {
        if name.contains('"') {
            return Err(Invalid::new(
                "invalid_mailbox",
                Message::new("value-mailbox-quotes-whole"),
            )
            .with_hint(
                Message::new("value-mailbox-quotes-whole-hint")
                    .arg("example", r#""Example \"App\"" <app@example.com>"#),
            ));
        }
        return Ok(name.to_owned());
    };
    let Some(body) = quoted.strip_suffix('"') else {
        return Err(Invalid::new(
            "invalid_mailbox",
            Message::new("value-mailbox-unclosed-quote"),
        ));
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().ok_or_else(|| {
                Invalid::new(
                    "invalid_mailbox",
                    Message::new("value-mailbox-lone-backslash"),
                )
            })?),
            '"' => {
                return Err(Invalid::new(
                    "invalid_mailbox",
                    Message::new("value-mailbox-unescaped-quote"),
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_quoted_and_bare_mailboxes() {
        let m = Mailbox::from_value("Example App <app@example.com>").unwrap();
        assert_eq!(m.name.as_deref(), Some("Example App"));
        assert_eq!(m.email.as_str(), "app@example.com");
        let q = Mailbox::from_value(r#""Doe, \"Jo\"" <jo@example.com>"#).unwrap();
        assert_eq!(q.name.as_deref(), Some(r#"Doe, "Jo""#));
        assert_eq!(Mailbox::from_value(&q.to_string()).unwrap(), q);
        let bare = Mailbox::from_value("app@example.com").unwrap();
        assert_eq!(bare.name, None);
        assert_eq!(
            Mailbox::from_value("Zoë Müller <z@example.com>")
                .unwrap()
                .name
                .as_deref(),
            Some("Zoë Müller")
        );
        assert_eq!(Mailbox::from_value("<app@example.com>").unwrap().name, None);
    }

    #[test]
    fn a_name_with_outer_spaces_is_quoted_so_it_reads_back_the_same() {
        // Found by fuzzing (fuzz/corpus/values/regression-blank-name): `" "` was written
        // unquoted as ` <…>` and read back as no name at all.
        for raw in [
            r#"" "<jxoe@a.0.com>"#,
            r#""  Ann" <a@example.com>"#,
            r#""Ann " <a@example.com>"#,
        ] {
            let m = Mailbox::from_value(raw).unwrap();
            assert!(m.name.is_some(), "{raw}");
            assert!(m.to_string().starts_with('"'), "{m}");
            assert_eq!(Mailbox::from_value(&m.to_string()).unwrap(), m, "{raw}");
        }
        let plain = Mailbox::from_value("Ann Lee <a@example.com>").unwrap();
        assert_eq!(plain.to_string(), "Ann Lee <a@example.com>");
    }

    #[test]
    fn rejects_line_breaks_anywhere() {
        for bad in [
            "Evil\r\nBcc: x@example.com <a@example.com>",
            "Name\n <a@example.com>",
            "a@example.com\r\n",
        ] {
            let e = Mailbox::from_value(bad).unwrap_err();
            assert_eq!(e.code, "invalid_mailbox", "{bad:?}");
            assert!(e.message.to_string().contains("line break"));
        }
    }

    #[test]
    fn rejects_malformed_brackets_and_quotes() {
        for bad in [
            "Name <a@example.com",
            "Name <a@example.com> trailing",
            "\"Open <a@example.com>",
            "Half\"quoted <a@example.com>",
            "Name <not-an-address>",
        ] {
            assert!(Mailbox::from_value(bad).is_err(), "{bad:?}");
        }
    }
}
