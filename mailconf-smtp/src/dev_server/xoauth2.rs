//! `AUTH XOAUTH2` for the dev server: the initial response read, the bearer checked by the
//! verifier the server was built with ([`DevServerBuilder::xoauth2`](super::DevServerBuilder::xoauth2)),
//! and a refusal answered as Gmail and Exchange Online answer it: a `334` carrying a JSON error,
//! then `535` to the client's empty line.
//!
//! mailin knows no XOAUTH2, so the connection loop handles it and never hands mailin the
//! token; an accepted login is replayed into mailin as the password-free `AUTH PLAIN` the
//! loop already uses after `EHLO` (see `session.rs`).

use std::sync::Arc;

/// Checks a bearer token for a mailbox.
pub(super) type Verifier = Arc<dyn Fn(&str, &str) -> bool + Send + Sync>;

/// `user=<mailbox>\x01auth=Bearer <token>\x01\x01`, decoded: the mailbox and the token.
pub(super) fn parse(decoded: &str) -> Option<(String, String)> {
    let mut user = None;
    let mut token = None;
    for part in decoded.split('\x01').filter(|p| !p.is_empty()) {
        if let Some(u) = part.strip_prefix("user=") {
            user = Some(u.to_owned());
        } else if let Some(auth) = part.strip_prefix("auth=") {
            let (scheme, value) = auth.split_once(' ')?;
            if !scheme.eq_ignore_ascii_case("Bearer") {
                return None;
            }
            token = Some(value.trim().to_owned());
        } else {
            return None;
        }
    }
    match (user, token) {
        (Some(u), Some(t)) if !u.is_empty() && !t.is_empty() => Some((u, t)),
        _ => None,
    }
}

/// The error challenge's text: base64 of the JSON Google sends (RFC 7628 3.2.2).
pub(super) const ERROR_CHALLENGE: &str = "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==";

/// The EHLO reply's AUTH line, with XOAUTH2 added (mailin lists only PLAIN and LOGIN).
pub(super) fn advertise(reply: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&reply);
    if !text.starts_with("250") {
        return reply;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive("\r\n") {
        let body = line.trim_end_matches("\r\n");
        if body.len() > 4 && body[4..].starts_with("AUTH ") {
            out.push_str(body);
            out.push_str(" XOAUTH2\r\n");
        } else {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initial_response_gives_mailbox_and_token() {
        assert_eq!(
            parse("user=app@example.com\x01auth=Bearer at-1\x01\x01"),
            Some(("app@example.com".into(), "at-1".into()))
        );
        for bad in [
            "",
            "user=a\x01\x01",
            "auth=Bearer x\x01\x01",
            "user=a\x01auth=Basic x\x01\x01",
            "user=a\x01auth=Bearer\x01\x01",
            "junk",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_error_challenge_is_googles_json() {
        use base64::Engine as _;
        let json = base64::engine::general_purpose::STANDARD
            .decode(ERROR_CHALLENGE)
            .unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}"#
        );
    }

    #[test]
    fn xoauth2_is_added_to_the_auth_line_only() {
        let ehlo = b"250-localhost\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n".to_vec();
        assert_eq!(
            advertise(ehlo),
            b"250-localhost\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN XOAUTH2\r\n".to_vec()
        );
        let other = b"250-localhost\r\n250 STARTTLS\r\n".to_vec();
        assert_eq!(advertise(other.clone()), other);
    }
}
