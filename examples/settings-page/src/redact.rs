//! Keeping the password out of what the connection test sends back.
//!
//! The probe never reports the password itself, but it reports what the server said, and a
//! server may echo what it received: exactly, or changed (case folded, a byte altered,
//! truncated), or as the base64 the login sent. Replacing exact occurrences would let all of
//! those through, so any text that *resembles* the password is withheld whole:
//! - a stretch within a small edit distance of the password (a quarter of its length, at least
//!   one edit), compared case-insensitively;
//! - any run of [`RUN`] characters shared with the password or with the base64 forms a login
//!   sends (`AUTH LOGIN`'s password, `AUTH PLAIN`'s `\0user\0password`).
//!
//! A withheld text costs some diagnostic detail; a shown one could cost the password.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// Shared runs this long are withheld: long enough not to match ordinary words by chance.
const RUN: usize = 8;

/// What replaces a withheld text.
pub(crate) const WITHHELD: &str =
    "[the server's text is not shown: it resembles the password that was sent]";

/// The forms of a password a server could echo.
pub(crate) struct Resemblance {
    /// The password, lower case, as characters.
    password: Vec<char>,
    /// Forms checked for shared runs only.
    encoded: Vec<Vec<char>>,
}

impl Resemblance {
    pub(crate) fn new(username: &str, password: &str) -> Resemblance {
        let plain = format!("\0{username}\0{password}");
        Resemblance {
            password: password.to_lowercase().chars().collect(),
            encoded: vec![
                STANDARD.encode(password).chars().collect(),
                STANDARD.encode(plain).chars().collect(),
            ],
        }
    }

    /// Whether `text` might carry the password.
    pub(crate) fn resembles(&self, text: &str) -> bool {
        if self.password.is_empty() {
            return false;
        }
        let lower: Vec<char> = text.to_lowercase().chars().collect();
        let raw: Vec<char> = text.chars().collect();
        near(&lower, &self.password)
            || shares_run(&lower, &self.password)
            || self.encoded.iter().any(|form| shares_run(&raw, form))
    }

    /// Replaces every string in `value` that resembles the password.
    pub(crate) fn withhold(&self, value: &mut Value) {
        match value {
            Value::String(s) if self.resembles(s) => *s = WITHHELD.to_owned(),
            Value::Array(items) => items.iter_mut().for_each(|v| self.withhold(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.withhold(v)),
            _ => {}
        }
    }
}

/// Whether a window of `text` is within `max(1, len/4)` edits of `secret`.
fn near(text: &[char], secret: &Vec<char>) -> bool {
    let budget = (secret.len() / 4).max(1);
    // One edit on a very short password would match half the words of a reply.
    if secret.len() < 4 {
        return text.windows(secret.len()).any(|w| w == secret);
    }
    let lengths = secret.len().saturating_sub(budget)..=secret.len() + budget;
    lengths.into_iter().filter(|&n| n > 0).any(|n| {
        text.windows(n)
            .any(|window| strsim::generic_levenshtein(&window.to_vec(), secret) <= budget)
    })
}

/// Whether `text` and `form` share a run of [`RUN`] characters (all of `form`, if shorter).
fn shares_run(text: &[char], form: &[char]) -> bool {
    let n = RUN.min(form.len());
    n > 0 && form.windows(n).any(|run| text.windows(n).any(|w| w == run))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PASSWORD: &str = "Pw-9xQ'distinctive-Zk27-never-echoed";

    fn r() -> Resemblance {
        Resemblance::new("app@example.com", PASSWORD)
    }

    #[test]
    fn exact_and_altered_echoes_are_withheld() {
        let one_byte = PASSWORD.replace('Q', "R");
        let b64 = STANDARD.encode(format!("\0app@example.com\0{PASSWORD}"));
        for echo in [
            format!("535 bad password {PASSWORD}"),
            format!("535 bad password {one_byte}"),
            format!("535 {}", PASSWORD.to_uppercase()),
            format!("535 truncated {}", &PASSWORD[..12]),
            format!("535 5.7.8 {b64}"),
            format!("334 {}", STANDARD.encode(PASSWORD)),
        ] {
            assert!(r().resembles(&echo), "{echo}");
        }
    }

    #[test]
    fn ordinary_replies_are_kept() {
        for reply in [
            "535 5.7.8 Authentication credentials invalid",
            "250-smtp.example.com Hello app@example.com",
            "220 mail.example.com ESMTP Postfix (Debian/GNU)",
        ] {
            assert!(!r().resembles(reply), "{reply}");
        }
    }

    #[test]
    fn a_short_password_with_one_change_is_withheld() {
        let r = Resemblance::new("u", "hunter22");
        assert!(r.resembles("535 no such password: hunter23"));
        assert!(r.resembles("535 HUNTER22"));
        assert!(!r.resembles("535 authentication failed"));
    }

    #[test]
    fn withholding_replaces_whole_nested_strings() {
        let mut v =
            json!({"a": [format!("x {} y", PASSWORD.replace('-', "_"))], "b": {"c": "fine"}});
        r().withhold(&mut v);
        assert_eq!(v, json!({"a": [WITHHELD], "b": {"c": "fine"}}));
    }
}
