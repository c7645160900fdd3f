//! `#[mailconf(secret)]` on every kind of field: required, optional, with a default, inside a
//! flattened struct, read from `NAME_FILE`. The value never shows in the user's own `Debug`,
//! nor in errors; an empty required secret is an error, never a silently loaded "".

use std::io::Write as _;

use mailconf_core::{Errors, MailConfig, Secret};

const CANARY: &str = "kinds-canary-Zq9";

/// Credentials of a second service, flattened into [`Kinds`].
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "INNER_")]
struct Inner {
    /// Marked `secret` as well as being a `Secret`.
    #[mailconf(secret)]
    key: Secret<String>,
}

/// One secret of each kind.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "KINDS_")]
struct Kinds {
    /// Required.
    password: Secret<String>,
    /// Optional.
    #[mailconf(secret)]
    token: Option<Secret<String>>,
    /// With a default.
    #[mailconf(secret, default = Secret::new(String::from("dflt")))]
    salt: Secret<String>,
    /// Inside a flattened struct.
    #[mailconf(flatten)]
    inner: Inner,
    /// A port, secret by its wrapper.
    #[mailconf(secret, default = 1)]
    pin: Secret<u16>,
}

fn assert_hidden(text: &str) {
    assert!(!text.contains(CANARY), "the secret leaked:\n{text}");
}

fn shown(errors: &Errors) -> String {
    format!(
        "{errors}\n{errors:?}\n{}",
        serde_json::to_string(errors).unwrap()
    )
}

#[test]
fn every_kind_of_secret_loads_and_debugs_as_redacted() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "{CANARY}-file").unwrap();
    let kinds = Kinds::from_map([
        ("KINDS_PASSWORD", CANARY),
        ("KINDS_TOKEN", CANARY),
        ("KINDS_SALT", CANARY),
        ("KINDS_INNER_KEY_FILE", file.path().to_str().unwrap()),
    ])
    .unwrap();
    assert_eq!(kinds.password.expose_secret(), CANARY);
    assert_eq!(kinds.token.as_ref().unwrap().expose_secret(), CANARY);
    assert_eq!(kinds.salt.expose_secret(), CANARY);
    assert_eq!(kinds.inner.key.expose_secret(), &format!("{CANARY}-file"));
    assert_eq!(*kinds.pin.expose_secret(), 1);
    assert_hidden(&format!("{kinds:?} {kinds:#?}"));
    let secret: Vec<bool> = Kinds::schema()
        .entries()
        .iter()
        .map(|e| e.field.secret)
        .collect();
    assert_eq!(secret, [true; 5]);
}

#[test]
fn errors_about_every_kind_of_secret_hide_it() {
    let errors = Kinds::from_map([
        ("KINDS_PASSWORD", CANARY),
        ("KINDS_PIN", CANARY),
        ("KINDS_INNER_KEY", CANARY),
        ("KINDS_INNER_KEY_FILE", CANARY),
        ("KINDS_PASWORD", CANARY),
    ])
    .unwrap_err();
    assert_eq!(errors.get("KINDS_PIN").unwrap().code(), "invalid_value");
    assert_hidden(&shown(&errors));
}

#[test]
fn an_empty_required_secret_is_set_but_empty() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file).unwrap();
    for (key, value) in [
        ("KINDS_PASSWORD", ""),
        ("KINDS_PASSWORD_FILE", file.path().to_str().unwrap()),
    ] {
        let errors = Kinds::from_map([(key, value), ("KINDS_INNER_KEY", "k")]).unwrap_err();
        let error = errors.get(key).or(errors.get("KINDS_PASSWORD")).unwrap();
        assert_eq!(error.message(), "set but empty", "{errors}");
        assert_eq!(error.detail(), Some("empty_value"), "{errors}");
        assert!(error.hint().unwrap().contains("KINDS_PASSWORD"), "{errors}");
    }
    // An empty secret inside a flattened struct too.
    let errors = Kinds::from_map([("KINDS_PASSWORD", "pw"), ("KINDS_INNER_KEY", "")]).unwrap_err();
    assert_eq!(
        errors.get("KINDS_INNER_KEY").unwrap().message(),
        "set but empty"
    );
}
