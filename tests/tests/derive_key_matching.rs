//! `#[mailconf(case_insensitive)]` and `#[mailconf(deny_unknown)]` on any struct.

use mailconf_core::{MailConfig, Sources};

/// Settings read as pydantic-settings reads them.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_", case_insensitive)]
struct Relaxed {
    /// Relay host.
    host: String,
    /// Send nothing.
    #[mailconf(default = false)]
    dry_run: bool,
}

/// Settings that refuse anything they do not read.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_", deny_unknown)]
struct Strict {
    /// Relay host.
    host: String,
}

#[test]
fn a_case_insensitive_struct_reads_any_spelling_and_notes_it() {
    let sources = Sources::new().map([("app_host", "relay"), ("App_Dry_Run", "y")]);
    let loaded = Relaxed::load_with_warnings(&sources).unwrap();
    assert_eq!(loaded.value.host, "relay");
    assert!(loaded.value.dry_run);
    let noted: Vec<(&str, &str)> = loaded
        .warnings
        .iter()
        .map(|w| (w.key.as_str(), w.code))
        .collect();
    assert_eq!(
        noted,
        [("app_host", "key_case"), ("App_Dry_Run", "key_case")]
    );
}

#[test]
fn a_struct_without_the_option_matches_names_exactly() {
    let errors = Strict::from_map([("app_host", "relay")]).unwrap_err();
    assert_eq!(errors.get("APP_HOST").unwrap().code(), "missing");
    assert_eq!(
        Strict::from_map([("APP_HOST", "relay")]).unwrap().host,
        "relay"
    );
}

#[test]
fn deny_unknown_refuses_a_key_that_is_otherwise_a_warning() {
    let pairs = [("APP_HOST", "relay"), ("APP_COLOUR", "blue")];
    let relaxed = Relaxed::load_with_warnings(&Sources::new().map(pairs)).unwrap();
    assert_eq!(relaxed.warnings[0].code, "unknown_key");
    let errors = Strict::from_map(pairs).unwrap_err();
    assert_eq!(errors.get("APP_COLOUR").unwrap().code(), "unknown_key");
}
