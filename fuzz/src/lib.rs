//! Checks shared by the fuzz targets in `fuzz_targets/`.
//!
//! Every target asserts the same contract on whatever the loader returns:
//! - no panic and no hang (libFuzzer's `-timeout` turns a hang into a crash);
//! - every [`Error`] has a code and a message, and names a key unless its code is
//!   `invalid_source` (a whole `.env` or JSON text that does not parse);
//! - the input of a secret setting is never kept ([`Input::Redacted`]);
//! - a secret planted by the harness ([`SECRET`]) appears in no output: `Display`, `Debug` and
//!   JSON of the errors, `Debug` of a loaded config and its warnings.
#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use mailconf_core::{Error, Errors, Input, Lang, MailConfig, NameKind, Sources};
use mailconf_smtp::SmtpConfig;

/// The distinctive part of every planted secret. ASCII, so percent-encoding leaves it as it is:
/// finding it in an output finds the raw and the percent-encoded forms alike.
pub const MARK: &str = "Hx7Qz9fuzzSecret";

/// A planted secret: it starts with a non-ASCII character so that URLs must percent-encode it.
pub const SECRET: &str = "\u{1F511}Hx7Qz9fuzzSecret";

/// [`SECRET`] percent-encoded, as it is written in `MAIL_URL`.
pub const SECRET_IN_URL: &str = "%F0%9F%94%91Hx7Qz9fuzzSecret";

/// The variable names of `SmtpConfig`, split by whether their value is secret.
pub struct Keys {
    /// Names whose value is shown in errors when invalid (aliases and old names included).
    pub shown: Vec<String>,
    /// Secret settings and their `*_FILE` variants.
    pub secret: HashSet<String>,
    /// Every name a field reads.
    pub all: Vec<String>,
    /// Other libraries' names for settings that are not secret.
    pub foreign_shown: Vec<String>,
}

/// The key lists of `SmtpConfig`, from its schema.
pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = Keys {
            shown: Vec::new(),
            secret: HashSet::new(),
            all: Vec::new(),
            foreign_shown: Vec::new(),
        };
        for entry in SmtpConfig::schema().entries() {
            let names = entry.names();
            // Every name the loader knows, old ones included, from the one type that lists them.
            for (name, kind) in names.all() {
                let name = name.into_owned();
                if entry.field.secret || kind == NameKind::File {
                    keys.secret.insert(name.clone());
                } else {
                    keys.shown.push(name.clone());
                }
                keys.all.push(name);
            }
        }
        // Another library's name for a setting that is not secret (Nodemailer's `SMTP_FROM`,
        // Laravel's `MAIL_MAILER`): the loader's advice quotes its value ("set MAIL_FROM=…
        // instead"), as it would quote the setting's own.
        for row in SmtpConfig::schema().foreign_keys {
            if !keys.secret.contains(row.setting) {
                keys.foreign_shown.push(row.key.to_owned());
            }
        }
        keys
    })
}

/// Whether a non-secret setting holds [`MARK`]: its value is then rightly shown, and the
/// planted secret cannot be told apart in the output (the harness skips that check).
/// A key in another case counts too (`MAIL_SErVER`): the loader reads it, with a warning.
/// So does another library's name for such a setting, except for the password in Symfony's
/// `MAILER_DSN`.
pub fn mark_in_shown_setting(sources: &Sources) -> bool {
    let shown = |key: &String, value: &str| match key.as_str() {
        // A connection URL: the advice on it quotes its parts but never its password.
        "MAILER_DSN" => without_url_password(value).contains(MARK),
        _ => value.contains(MARK),
    };
    (keys().shown.iter().chain(&keys().foreign_shown))
        .any(|key| values(sources, key).any(|value| shown(key, value)))
}

/// The values of `key` in `sources`, in its own case and in any other.
fn values<'a>(sources: &'a Sources, key: &str) -> impl Iterator<Item = &'a str> {
    [sources.get(key), sources.get_any_case(key)]
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.value().ok())
}

/// `value` without the password of the URL it is (`smtp://user:password@host`).
fn without_url_password(value: &str) -> Cow<'_, str> {
    let Some(start) = value.find("://").map(|at| at + 3) else {
        return Cow::Borrowed(value);
    };
    let rest = &value[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            Cow::Owned(format!("{}{}", &value[..start + colon], &rest[at..]))
        }
        _ => Cow::Borrowed(value),
    }
}

/// Checks one error; returns everything it prints.
pub fn check_error(error: &Error) -> String {
    assert!(
        !error.code().is_empty(),
        "an error without a code: {error:?}"
    );
    for lang in [Lang::En, Lang::Ko] {
        assert!(
            !error.message_in(lang).is_empty(),
            "an error without a message in {lang:?}: {error:?}"
        );
    }
    if error.code() != "invalid_source" {
        assert!(
            !error.key().is_empty(),
            "an error that names no key (code {}): {error:?}",
            error.code()
        );
    }
    if error.code() == "invalid_value" {
        assert!(error.detail().is_some(), "invalid_value without a detail");
    }
    if keys().secret.contains(error.key()) {
        assert!(
            matches!(error.input(), None | Some(Input::Redacted)),
            "the input of the secret {} was kept: {error:?}",
            error.key()
        );
    }
    let json = serde_json::to_string(error).expect("an error serialises");
    // The Korean text too: its arguments are the English one's, and a secret must not show in either.
    let korean = error.in_lang(Lang::Ko);
    format!("{error}\n{error:?}\n{json}\n{korean}\n")
}

/// Checks every error of a failed load; returns everything they print.
pub fn check_errors(errors: &Errors) -> String {
    assert!(!errors.is_empty() && errors.len() > 0);
    let mut out = String::new();
    for error in errors {
        out.push_str(&check_error(error));
    }
    let json = serde_json::to_string(errors).expect("errors serialise");
    let korean = errors.in_lang(Lang::Ko);
    out.push_str(&format!("{errors}\n{errors:?}\n{json}\n{korean}\n"));
    out
}

/// Loads `SmtpConfig` from `sources` and checks the result; `planted` says whether the harness
/// planted [`SECRET`] (in a secret setting or under an unknown key) that must not show.
pub fn load_and_check(sources: &Sources, planted: bool) {
    let output = match SmtpConfig::load(sources) {
        Ok(config) => {
            let mut out = format!("{config:?}\n");
            for warning in config.warnings() {
                out.push_str(&format!("{warning}\n{warning:?}\n"));
            }
            if let Some(username) = config.username() {
                out.push_str(username);
            }
            out
        }
        Err(errors) => check_errors(&errors),
    };
    if planted && !mark_in_shown_setting(sources) {
        assert_hidden(&output);
    }
}

/// Fails when `output` shows the planted secret.
pub fn assert_hidden(output: &str) {
    assert!(
        !output.contains(MARK),
        "the planted secret is shown:\n{output}"
    );
}

/// Files the harnesses point `*_FILE` and `MAIL_CA_FILE` at, so a fuzzer never reads an
/// arbitrary path of the machine: a missing file, a directory, an empty device, an endless
/// device (the hang that made the loader cap its reads), and small files written once.
pub fn safe_path(selector: u8) -> PathBuf {
    static FILES: OnceLock<(PathBuf, PathBuf, PathBuf)> = OnceLock::new();
    let (secret, pem, junk) = FILES.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mailconf-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let secret = dir.join("password");
        std::fs::write(&secret, format!("{SECRET}\n")).expect("write");
        let pem = dir.join("ca.pem");
        std::fs::write(
            &pem,
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        )
        .expect("write");
        let junk = dir.join("junk");
        std::fs::write(&junk, [0xff, 0xfe, b'\n']).expect("write");
        (secret, pem, junk)
    });
    match selector % 7 {
        0 => secret.clone(),
        1 => pem.clone(),
        2 => junk.clone(),
        3 => PathBuf::from("/nonexistent/mailconf-fuzz"),
        4 => std::env::temp_dir(),
        5 => PathBuf::from("/dev/null"),
        _ => PathBuf::from("/dev/zero"),
    }
}

/// Whether a variable names a file the loader reads.
pub fn is_file_key(key: &str) -> bool {
    key.ends_with("_FILE") || key.ends_with("CERT_BUNDLE")
}

/// Inputs drawn mostly from short lists of the values that matter (a quoted local part, IDNs,
/// Korean, CR/LF, encoded words), so that the message targets spend their time on combinations.
pub mod pick {
    use libfuzzer_sys::arbitrary::{Result, Unstructured};

    /// Addresses as users write them.
    pub const ADDRESSES: &[&str] = &[
        "app@example.com",
        "jo.doe+tag@example.org",
        "a@b.co",
        "\"quoted local\"@example.com",
        "user@[127.0.0.1]",
        "zoë@exämple.com",
        "x@xn--exmple-cua.com",
        "민준@example.kr",
    ];

    /// Names, subjects and file names.
    pub const TEXTS: &[&str] = &[
        "",
        " ",
        "Example App",
        "Doe, Jo",
        "\"quoted\"",
        "=?utf-8?q?encoded?=",
        "Zoë Müller",
        "김민준",
        "日本語の件名",
        "3월 보고서.pdf",
        "a\r\nBcc: evil@example.com",
        "x\r\nX-Injected: 1",
        "line\nbreak",
        "tab\there",
        "<angle>",
        "semi;colon:",
        "very long very long very long very long very long very long very long very long text",
    ];

    /// One of `list`, `numerator` times in `denominator`; otherwise any string.
    ///
    /// # Errors
    /// When the fuzzer's input runs out.
    pub fn one_of(
        u: &mut Unstructured<'_>,
        list: &[&str],
        numerator: u8,
        denominator: u8,
    ) -> Result<String> {
        if u.ratio(numerator, denominator)? {
            Ok((*u.choose(list)?).to_owned())
        } else {
            u.arbitrary()
        }
    }
}
