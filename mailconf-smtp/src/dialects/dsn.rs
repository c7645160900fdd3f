//! Symfony Mailer's `MAILER_DSN` (`smtp://user:pass@host:port?options`), read with the `url`
//! crate as Symfony's `Dsn::fromString` reads it.

use url::Url;

use mailconf_core::Message;

use super::translate::{Assignment, Intent, Outcome, decide, join_notes, python_bool};
use crate::Security;
use crate::security::MAIL_KEYS;
use crate::url::percent_decode;

/// The settings `MAILER_DSN` stands for.
pub(crate) fn translate(raw: &str) -> Outcome {
    // The url crate's messages never quote the input, which may hold a password.
    let url = match Url::parse(raw.trim()) {
        Ok(url) => url,
        Err(e) => {
            return Outcome::Refuse(
                Message::new("dialect-dsn-not-a-dsn").arg("reason", mailconf_core::url_problem(e)),
            );
        }
    };
    let scheme = url.scheme().to_ascii_lowercase();
    let intent = match scheme.as_str() {
        "smtp" => Intent::Auto,
        "smtps" => Intent::Mode(Security::ImplicitTls),
        "null" => {
            return Outcome::Set {
                assignments: vec![Assignment::new("SUPPRESS_SEND", "1")],
                note: Some(Message::new("dialect-dsn-null")),
            };
        }
        other => {
            return Outcome::Refuse(Message::new("dialect-dsn-transport").arg("scheme", other));
        }
    };
    let Some(host) = url.host_str().filter(|h| !h.is_empty() && *h != "default") else {
        return Outcome::Refuse(Message::new("dialect-dsn-no-server"));
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    // Symfony's defaults are the standard ports of the two schemes (`smtp`, `smtps`).
    let scheme_mode = if intent == Intent::Auto {
        Security::Plain
    } else {
        Security::ImplicitTls
    };
    let port = url
        .port()
        .unwrap_or_else(|| scheme_mode.default_port().get());
    let (intent, extra, mut notes) = options(&url, intent);
    let (security, note) = decide(intent, port);
    notes.extend(note);
    let (starttls, ssl_tls) = security.flag_values();
    let mut assignments = vec![
        Assignment::new("MAIL_SERVER", host),
        Assignment::new(MAIL_KEYS.port, port.to_string()),
        Assignment::new(MAIL_KEYS.starttls, python_bool(starttls)),
        Assignment::new(MAIL_KEYS.ssl_tls, python_bool(ssl_tls)),
    ];
    match login(&url) {
        Some(login) => assignments.extend(login),
        None => return Outcome::Refuse(Message::new("dialect-dsn-login")),
    }
    assignments.extend(extra);
    Outcome::Set {
        assignments,
        note: join_notes(notes),
    }
}

/// The DSN's query options: the TLS intent they select, the settings they stand for, and a
/// note for each option no setting of ours has.
fn options(url: &Url, mut intent: Intent) -> (Intent, Vec<Assignment>, Vec<Message>) {
    let mut extra = Vec::new();
    let mut notes = Vec::new();
    for (name, value) in url.query_pairs() {
        let off = matches!(
            value.to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        );
        match name.as_ref() {
            "verify_peer" if off => extra.push(Assignment::new("VALIDATE_CERTS", "False")),
            "verify_peer" => {}
            "auto_tls" if off && intent == Intent::Auto => intent = Intent::Mode(Security::Plain),
            "auto_tls" => {}
            "require_tls" if !off && intent == Intent::Auto => {
                intent = Intent::Mode(Security::StartTls)
            }
            "require_tls" => {}
            "local_domain" => extra.push(Assignment::new("LOCAL_HOSTNAME", value.into_owned())),
            "max_per_second" => {
                extra.push(Assignment::new("MAIL_RATE_LIMIT", format!("{value}/s")))
            }
            other => notes.push(Message::new("dialect-dsn-option").arg("option", other)),
        }
    }
    (intent, extra, notes)
}

/// The login a DSN holds: a user and a password, or neither; `None` for a user alone, a
/// password alone or one that does not decode.
fn login(url: &Url) -> Option<Vec<Assignment>> {
    let user = percent_decode(url.username());
    let password = url.password().map(percent_decode);
    match (user, password) {
        (Some(user), Some(Some(password))) if !user.is_empty() => {
            let mut secret = Assignment::new("MAIL_PASSWORD", password);
            secret.secret = Some(Message::new("dialect-dsn-password"));
            Some(vec![Assignment::new("MAIL_USERNAME", user), secret])
        }
        (Some(user), None) if user.is_empty() => {
            Some(vec![Assignment::new("USE_CREDENTIALS", "False")])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(raw: &str) -> (Vec<String>, Option<Message>) {
        match translate(raw) {
            Outcome::Set { assignments, note } => (
                assignments
                    .iter()
                    .map(|a| format!("{}={}", a.key, a.value))
                    .collect(),
                note,
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_dsn_becomes_the_separate_settings() {
        let (set, note) = set("smtp://app%40example.com:p%3Ass@smtp.example.com:587");
        assert_eq!(
            set,
            [
                "MAIL_SERVER=smtp.example.com",
                "MAIL_PORT=587",
                "MAIL_STARTTLS=True",
                "MAIL_SSL_TLS=False",
                "MAIL_USERNAME=app@example.com",
                "MAIL_PASSWORD=p:ss"
            ]
        );
        assert!(note.unwrap().to_string().contains("STARTTLS"));
        let (set, _) = self::set("smtps://u:p@mail.example.com?verify_peer=0&max_per_second=5");
        assert!(set.contains(&"MAIL_PORT=465".to_owned()));
        assert!(set.contains(&"MAIL_SSL_TLS=True".to_owned()));
        assert!(set.contains(&"VALIDATE_CERTS=False".to_owned()));
        assert!(set.contains(&"MAIL_RATE_LIMIT=5/s".to_owned()));
        let (set, _) = self::set("smtp://localhost:1025");
        assert!(set.contains(&"USE_CREDENTIALS=False".to_owned()));
        assert!(set.contains(&"MAIL_STARTTLS=False".to_owned()));
    }

    #[test]
    fn what_is_not_smtp_is_refused_without_quoting_the_dsn() {
        for raw in [
            "sendmail://default",
            "ses+smtp://K:S@default",
            "not a url s3cr3t",
        ] {
            match translate(raw) {
                Outcome::Refuse(reason) => {
                    let reason = reason.to_string();
                    assert!(!reason.contains("s3cr3t"), "{reason}")
                }
                other => panic!("{raw}: {other:?}"),
            }
        }
    }
}
