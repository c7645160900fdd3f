//! Advice in errors: a value type gives generic advice, a field adds its own with
//! `#[mailconf(hint = "...")]`.

use mailconf_core::{Host, MailConfig, Port};

/// An application's own settings: nothing here is about mail.
#[allow(dead_code)]
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_")]
struct Web {
    /// The HTTP port.
    http_port: Port,
    /// The database host.
    db_host: Host,
    /// The admin port, with advice of its own.
    #[mailconf(default = 8081, hint = "the admin page listens on 8081 by default")]
    admin_port: Port,
}

#[test]
fn a_port_or_host_of_an_application_gets_no_smtp_advice() {
    let errors = Web::from_map([
        ("APP_HTTP_PORT", "0"),
        ("APP_DB_HOST", "postgres://db.internal/app"),
    ])
    .unwrap_err();
    for key in ["APP_HTTP_PORT", "APP_DB_HOST"] {
        let error = errors.get(key).unwrap();
        let text = format!("{} {:?}", error.message(), error.hint()).to_lowercase();
        assert!(
            !text.contains("smtp") && !text.contains("587"),
            "{key}: {text}"
        );
    }
}

#[test]
fn a_field_hint_follows_the_type_hint() {
    let errors = Web::from_map([
        ("APP_HTTP_PORT", "80"),
        ("APP_DB_HOST", "db"),
        ("APP_ADMIN_PORT", "8081.5"),
    ])
    .unwrap_err();
    let error = errors.get("APP_ADMIN_PORT").unwrap();
    assert_eq!(
        error.hint().as_deref(),
        Some("remove the fractional part; the admin page listens on 8081 by default")
    );
    let errors = Web::from_map([
        ("APP_HTTP_PORT", "80"),
        ("APP_DB_HOST", "db"),
        ("APP_ADMIN_PORT", "0"),
    ])
    .unwrap_err();
    assert_eq!(
        errors.get("APP_ADMIN_PORT").unwrap().hint().as_deref(),
        Some("the admin page listens on 8081 by default")
    );
}
