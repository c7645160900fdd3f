//! A struct's validate hook returns [`Problem`]s named by Rust fields, without variables; the
//! loader attaches each one's place once: the variable of its leading field and of the others,
//! prefixes applied wherever the struct is embedded, the field path, and `{field}` in its text.

use mailconf_core::{ErrorKind, Invalid, MailConfig, Port, Problem, Problems};

// Only the errors are looked at: the values are never read.
#[allow(dead_code)]
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "MAIL_", validate = check)]
struct Mail {
    port: Port,
    #[mailconf(default = false)]
    starttls: bool,
    #[mailconf(renamed_from = "MAIL_USER")]
    username: Option<String>,
    #[mailconf(default = false)]
    login: bool,
}

fn check(mail: &MailPartial) -> Result<(), Problems> {
    let mut found = Vec::new();
    if let (Some(port), Some(true)) = (mail.port, mail.starttls)
        && port.get() == 465
    {
        found.push(
            Problem::conflict(&["starttls", "port"], "{port}=465 is implicit TLS")
                .with_hint("set {starttls}=false"),
        );
    }
    if mail.login == Some(true) && matches!(mail.username, Some(None)) {
        found.push(Problem::missing("username", "set {username} to log in"));
    }
    if mail.port.is_some_and(|p| p.get() == 26) {
        found.push(Problem::invalid(
            "port",
            Invalid::new("odd_port", "port 26 is unusual"),
        ));
    }
    Problems::from_vec(found).map_or(Ok(()), Err)
}

#[allow(dead_code)]
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_")]
struct App {
    #[mailconf(flatten(prefix = "OUT_"))]
    mail: Mail,
}

#[test]
fn each_problem_gets_its_variables_under_the_embedding_prefix() {
    let errors = App::from_map([
        ("APP_OUT_MAIL_PORT", "465"),
        ("APP_OUT_MAIL_STARTTLS", "true"),
        ("APP_OUT_MAIL_LOGIN", "true"),
    ])
    .unwrap_err();
    let conflict = errors
        .get("APP_OUT_MAIL_STARTTLS")
        .expect("on the leading field");
    assert_eq!(
        conflict.kind(),
        &ErrorKind::Conflict {
            with: vec!["APP_OUT_MAIL_PORT".to_owned()]
        }
    );
    assert_eq!(conflict.field(), "mail.starttls");
    assert_eq!(conflict.message(), "APP_OUT_MAIL_PORT=465 is implicit TLS");
    assert_eq!(
        conflict.hint().as_deref(),
        Some("set APP_OUT_MAIL_STARTTLS=false")
    );

    let missing = errors.get("APP_OUT_MAIL_USERNAME").unwrap();
    assert_eq!(
        (missing.code(), missing.message().as_str()),
        ("missing", "required, but not set")
    );
    assert_eq!(
        missing.hint().as_deref(),
        Some("set APP_OUT_MAIL_USERNAME to log in")
    );
    assert_eq!(errors.len(), 2, "{errors}");
}

#[test]
fn a_missing_field_whose_old_name_is_set_gets_the_rename_hint_and_an_invalid_its_detail() {
    let errors = Mail::from_map([
        ("MAIL_PORT", "26"),
        ("MAIL_LOGIN", "true"),
        ("MAIL_USER", "me"),
    ])
    .unwrap_err();
    let missing = errors
        .iter()
        .find(|e| e.key() == "MAIL_USERNAME")
        .expect("the hook's missing field");
    assert_eq!(
        missing.hint().as_deref(),
        Some("MAIL_USER was renamed to MAIL_USERNAME: rename MAIL_USER to MAIL_USERNAME")
    );
    let invalid = errors.get("MAIL_PORT").unwrap();
    assert_eq!(
        (invalid.code(), invalid.detail()),
        ("invalid_value", Some("odd_port"))
    );
    assert_eq!(invalid.field(), "port");
}
