//! The OAuth2 settings: which grant each combination selects, the provider's token URL and
//! scope, and every combination that cannot work reported at once, named by its variable.

use mailconf_core::MailConfig;
use mailconf_smtp::{Grant, SmtpConfig, SmtpSettings};

const SECRET: &str = "Sup3r-Secret-Value";
const REFRESH: &str = "Refresh-Token-Value";

fn base() -> Vec<(&'static str, String)> {
    vec![
        ("MAIL_SERVER", "smtp.example.com".into()),
        ("MAIL_PORT", "587".into()),
        ("MAIL_STARTTLS", "true".into()),
        ("MAIL_SSL_TLS", "false".into()),
        ("MAIL_USERNAME", "app@example.com".into()),
        ("MAIL_FROM", "app@example.com".into()),
    ]
}

fn with(extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut map = base();
    map.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    map
}

fn load(extra: &[(&'static str, &str)]) -> SmtpConfig {
    SmtpConfig::from_map(with(extra)).unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(map: Vec<(&'static str, String)>) -> mailconf_core::Errors {
    let errors = SmtpConfig::from_map(map).unwrap_err();
    let shown = format!("{errors} {errors:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains(REFRESH),
        "{shown}"
    );
    errors
}

#[test]
fn microsoft365_with_a_tenant_builds_the_token_url_and_app_scope() {
    let config = SmtpConfig::from_map([
        ("MAIL_PROVIDER", "microsoft365"),
        ("MAIL_USERNAME", "app@contoso.example"),
        ("MAIL_FROM", "app@contoso.example"),
        ("MAIL_OAUTH2_TENANT", "contoso.onmicrosoft.com"),
        (
            "MAIL_OAUTH2_CLIENT_ID",
            "11111111-2222-3333-4444-555555555555",
        ),
        ("MAIL_OAUTH2_CLIENT_SECRET", SECRET),
    ])
    .unwrap();
    assert!(config.credentials().is_none(), "no password login");
    let login = config.oauth2().unwrap();
    assert_eq!(login.mailbox, "app@contoso.example");
    let Grant::ClientCredentials {
        token_url, scope, ..
    } = &login.grant
    else {
        panic!("{:?}", login.grant)
    };
    assert_eq!(
        token_url.as_str(),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(
        scope.as_deref(),
        Some("https://outlook.office365.com/.default")
    );
    let shown = format!("{config:?} {login:?}");
    assert!(!shown.contains(SECRET), "{shown}");
}

#[test]
fn a_refresh_token_selects_that_grant_with_the_users_scope() {
    let config = SmtpConfig::from_map([
        ("MAIL_PROVIDER", "gmail"),
        ("MAIL_USERNAME", "me@gmail.com"),
        ("MAIL_FROM", "me@gmail.com"),
        ("MAIL_OAUTH2_CLIENT_ID", "123.apps.example"),
        ("MAIL_OAUTH2_REFRESH_TOKEN", REFRESH),
    ])
    .unwrap();
    let login = config.oauth2().unwrap();
    let Grant::RefreshToken {
        token_url,
        scope,
        client_secret,
        ..
    } = &login.grant
    else {
        panic!("{:?}", login.grant)
    };
    assert_eq!(token_url.as_str(), "https://oauth2.googleapis.com/token");
    assert_eq!(scope.as_deref(), Some("https://mail.google.com/"));
    assert!(client_secret.is_none());
    assert_eq!(login.grant.name(), "refresh_token");
}

#[test]
fn a_service_account_and_a_token_file_select_their_grants() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.json");
    std::fs::write(&key, "{}").unwrap();
    let config = load(&[("MAIL_OAUTH2_SERVICE_ACCOUNT_FILE", key.to_str().unwrap())]);
    let login = config.oauth2().unwrap();
    assert_eq!(login.grant.name(), "jwt_bearer");
    let Grant::ServiceAccount { scope, .. } = &login.grant else {
        panic!()
    };
    assert_eq!(scope, "https://mail.google.com/");

    let config = load(&[("MAIL_ACCESS_TOKEN_FILE", "/run/secrets/token")]);
    assert_eq!(config.oauth2().unwrap().grant.name(), "token_file");
}

#[test]
fn the_client_secret_may_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    std::fs::write(&file, SECRET).unwrap();
    let config = load(&[
        ("MAIL_OAUTH2_TOKEN_URL", "https://login.example.com/token"),
        ("MAIL_OAUTH2_CLIENT_ID", "app"),
        ("MAIL_OAUTH2_CLIENT_SECRET_FILE", file.to_str().unwrap()),
    ]);
    let Grant::ClientCredentials { client_secret, .. } = config.oauth2().unwrap().grant else {
        panic!()
    };
    assert_eq!(client_secret.expose_secret(), SECRET);
}

#[test]
fn a_password_as_well_is_a_conflict_reported_with_the_rest() {
    let errors = load_err(with(&[
        ("MAIL_PASSWORD", SECRET),
        ("MAIL_OAUTH2_TOKEN_URL", "http://login.example.com/token"),
        ("MAIL_OAUTH2_CLIENT_ID", "app"),
        ("MAIL_OAUTH2_CLIENT_SECRET", SECRET),
        ("MAIL_PORT", "465"),
    ]));
    let password = errors.get("MAIL_PASSWORD").unwrap();
    assert!(password.message().contains("XOAUTH2"), "{password}");
    assert!(
        errors
            .get("MAIL_OAUTH2_TOKEN_URL")
            .unwrap()
            .message()
            .contains("http")
    );
    // The TLS/port mix-up is reported too.
    assert!(errors.to_string().contains("465"), "{errors}");
}

#[test]
fn incomplete_combinations_are_keyed_errors_with_hints() {
    // A secret alone: the client ID is missing, and the token URL (no provider).
    let errors = load_err(with(&[("MAIL_OAUTH2_CLIENT_SECRET", SECRET)]));
    assert!(errors.get("MAIL_OAUTH2_CLIENT_ID").is_some(), "{errors}");
    let url = errors.get("MAIL_OAUTH2_TOKEN_URL").unwrap();
    assert!(url.hint().unwrap().contains("MAIL_OAUTH2_TENANT"), "{url}");

    // Microsoft 365 without a tenant, and a client ID without a secret or refresh token.
    let errors = load_err(vec![
        ("MAIL_PROVIDER", "microsoft365".into()),
        ("MAIL_USERNAME", "a@contoso.example".into()),
        ("MAIL_FROM", "a@contoso.example".into()),
        ("MAIL_OAUTH2_CLIENT_ID", "app".into()),
    ]);
    assert!(errors.get("MAIL_OAUTH2_TENANT").is_some(), "{errors}");
    let secret = errors.get("MAIL_OAUTH2_CLIENT_SECRET").unwrap();
    assert!(
        secret.hint().unwrap().contains("MAIL_OAUTH2_REFRESH_TOKEN"),
        "{secret}"
    );

    // No mailbox to log in as.
    let mut map = with(&[
        ("MAIL_OAUTH2_TOKEN_URL", "https://login.example.com/token"),
        ("MAIL_OAUTH2_CLIENT_ID", "app"),
        ("MAIL_OAUTH2_CLIENT_SECRET", SECRET),
    ]);
    map.retain(|(k, _)| *k != "MAIL_USERNAME");
    let errors = load_err(map);
    assert!(
        errors
            .get("MAIL_USERNAME")
            .unwrap()
            .hint()
            .unwrap()
            .contains("XOAUTH2"),
        "{errors}"
    );
    assert!(errors.get("MAIL_PASSWORD").is_none(), "{errors}");
}

#[test]
fn settings_that_would_do_nothing_are_conflicts() {
    let errors = load_err(with(&[
        ("MAIL_ACCESS_TOKEN_FILE", "/run/token"),
        ("MAIL_OAUTH2_CLIENT_ID", "app"),
    ]));
    assert!(errors.get("MAIL_ACCESS_TOKEN_FILE").is_some(), "{errors}");

    let errors = load_err(with(&[
        ("MAIL_OAUTH2_SERVICE_ACCOUNT_FILE", "/run/key.json"),
        ("MAIL_OAUTH2_CLIENT_SECRET", SECRET),
    ]));
    assert!(
        errors.get("MAIL_OAUTH2_SERVICE_ACCOUNT_FILE").is_some(),
        "{errors}"
    );

    // A tenant only builds Microsoft's URL.
    let errors = load_err(with(&[
        ("MAIL_OAUTH2_TENANT", "contoso.example"),
        ("MAIL_OAUTH2_CLIENT_ID", "app"),
        ("MAIL_OAUTH2_CLIENT_SECRET", SECRET),
    ]));
    assert!(errors.get("MAIL_OAUTH2_TENANT").is_some(), "{errors}");

    // No login at all, yet OAuth2 set.
    let errors = load_err(with(&[
        ("USE_CREDENTIALS", "false"),
        ("MAIL_ACCESS_TOKEN_FILE", "/run/token"),
    ]));
    assert!(errors.get("USE_CREDENTIALS").is_some(), "{errors}");
}

#[test]
fn a_token_over_plain_text_to_another_host_is_refused() {
    let errors = load_err(with(&[
        ("MAIL_STARTTLS", "false"),
        ("MAIL_PORT", "25"),
        ("MAIL_ACCESS_TOKEN_FILE", "/run/token"),
    ]));
    assert!(
        errors
            .to_string()
            .contains("access token would be sent unencrypted"),
        "{errors}"
    );
}

#[test]
fn the_schema_lists_the_oauth2_settings_and_redacts_the_secrets() {
    let entries = SmtpConfig::schema().entries();
    for key in [
        "MAIL_OAUTH2_TOKEN_URL",
        "MAIL_OAUTH2_CLIENT_ID",
        "MAIL_OAUTH2_CLIENT_SECRET",
        "MAIL_OAUTH2_REFRESH_TOKEN",
        "MAIL_OAUTH2_SCOPE",
        "MAIL_OAUTH2_TENANT",
        "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE",
        "MAIL_ACCESS_TOKEN_FILE",
    ] {
        let entry = entries.iter().find(|e| e.key == key);
        assert!(entry.is_some(), "{key} is not in the schema");
    }
    for key in ["MAIL_OAUTH2_CLIENT_SECRET", "MAIL_OAUTH2_REFRESH_TOKEN"] {
        let entry = entries.iter().find(|e| e.key == key).unwrap();
        assert!(entry.field.secret, "{key} is not a secret");
    }
}
