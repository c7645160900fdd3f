//! The `MAIL_OAUTH2_*` settings and `MAIL_ACCESS_TOKEN_FILE`: which grant they describe, and
//! the combinations that cannot work. They are fields of `Connection` (connection.rs), so that
//! these rules can name `MAIL_USERNAME`, `MAIL_PASSWORD` and `MAIL_PROVIDER` too.

use mailconf_core::{Invalid, Message, Problem};
use url::Url;

use super::{Grant, OAuth2Login};
use crate::SmtpUrl;
use crate::connection::{Connection, ConnectionPartial};
use crate::providers::GOOGLE_OAUTH2;
use crate::rules::{field_message, is_set};

/// The OAuth2 fields that are set (loaded or not).
fn set_fields(c: &ConnectionPartial) -> Vec<&'static str> {
    [
        ("oauth2_token_url", is_set(&c.oauth2_token_url)),
        ("oauth2_client_id", is_set(&c.oauth2_client_id)),
        ("oauth2_client_secret", is_set(&c.oauth2_client_secret)),
        ("oauth2_refresh_token", is_set(&c.oauth2_refresh_token)),
        ("oauth2_scope", is_set(&c.oauth2_scope)),
        ("oauth2_tenant", is_set(&c.oauth2_tenant)),
        (
            "oauth2_service_account_file",
            is_set(&c.oauth2_service_account_file),
        ),
        ("access_token_file", is_set(&c.access_token_file)),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(f, _)| f)
    .collect()
}

/// Whether any OAuth2 setting is set: the login is then XOAUTH2, with no password.
pub(crate) fn used(c: &ConnectionPartial) -> bool {
    !set_fields(c).is_empty()
}

/// Whether a loaded connection logs in with XOAUTH2.
pub(crate) fn is_used(c: &Connection) -> bool {
    c.oauth2_token_url.is_some()
        || c.oauth2_client_id.is_some()
        || c.oauth2_client_secret.is_some()
        || c.oauth2_refresh_token.is_some()
        || c.oauth2_scope.is_some()
        || c.oauth2_tenant.is_some()
        || c.oauth2_service_account_file.is_some()
        || c.access_token_file.is_some()
}

/// The login a loaded connection describes, with the provider's token URL and scope for those
/// not set. `None` without OAuth2, or (never for settings that loaded: the rules report it)
/// when a part is missing.
pub(crate) fn login(c: &Connection) -> Option<OAuth2Login> {
    if !is_used(c) {
        return None;
    }
    let preset = c.provider.as_ref().and_then(|p| p.provider.oauth2);
    let grant = if let Some(path) = &c.access_token_file {
        Grant::TokenFile { path: path.clone() }
    } else if let Some(key_file) = &c.oauth2_service_account_file {
        Grant::ServiceAccount {
            key_file: key_file.clone(),
            token_url: c.oauth2_token_url.clone(),
            scope: c
                .oauth2_scope
                .clone()
                .unwrap_or_else(|| preset.unwrap_or(&GOOGLE_OAUTH2).user_scope.to_owned()),
        }
    } else {
        let token_url = match &c.oauth2_token_url {
            Some(url) => url.clone(),
            None => Url::parse(&preset?.token_url(c.oauth2_tenant.as_deref())).ok()?,
        };
        let client_id = c.oauth2_client_id.clone()?;
        match &c.oauth2_refresh_token {
            Some(refresh_token) => Grant::RefreshToken {
                token_url,
                client_id,
                client_secret: c.oauth2_client_secret.clone(),
                refresh_token: refresh_token.clone(),
                scope: c
                    .oauth2_scope
                    .clone()
                    .or_else(|| preset.map(|p| p.user_scope.to_owned())),
            },
            None => Grant::ClientCredentials {
                token_url,
                client_id,
                client_secret: c.oauth2_client_secret.clone()?,
                scope: c
                    .oauth2_scope
                    .clone()
                    .or_else(|| preset.map(|p| p.app_scope.to_owned())),
            },
        }
    };
    Some(OAuth2Login {
        mailbox: c.username()?.to_owned(),
        grant,
    })
}

/// The OAuth2 rules, in a build with or without the `oauth2` feature.
pub(crate) fn check(c: &ConnectionPartial, errors: &mut Vec<Problem>) {
    check_built(c, cfg!(feature = "oauth2"), errors);
}

fn check_built(c: &ConnectionPartial, oauth2_built: bool, errors: &mut Vec<Problem>) {
    let set = set_fields(c);
    if set.is_empty() {
        return;
    }
    if !oauth2_built {
        // Dropping them would send without a login, or with a password nobody set.
        for field in &set {
            errors.push(
                Problem::invalid(
                    field,
                    Invalid::new("feature_disabled", Message::new("oauth2-not-built")),
                )
                .with_hint(Message::new("oauth2-not-built-hint")),
            );
        }
        return;
    }
    let token_file = is_set(&c.access_token_file);
    let service_account = is_set(&c.oauth2_service_account_file);
    let lead = if token_file {
        "access_token_file"
    } else if service_account {
        "oauth2_service_account_file"
    } else if is_set(&c.oauth2_client_id) {
        "oauth2_client_id"
    } else {
        set[0]
    };
    let client = !token_file && !service_account;
    if token_file {
        if set.len() > 1 {
            let mut fields = vec!["access_token_file"];
            fields.extend(set.iter().filter(|f| **f != "access_token_file"));
            errors.push(
                Problem::conflict(
                    &fields,
                    field_message("oauth2-token-file-alone", &["access_token_file"]),
                )
                .with_hint(field_message(
                    "oauth2-token-file-alone-hint",
                    &["access_token_file"],
                )),
            );
        }
    } else if service_account {
        let client_fields = [
            "oauth2_client_id",
            "oauth2_client_secret",
            "oauth2_refresh_token",
            "oauth2_tenant",
        ];
        let mut fields = vec!["oauth2_service_account_file"];
        fields.extend(set.iter().filter(|f| client_fields.contains(f)));
        if fields.len() > 1 {
            errors.push(
                Problem::conflict(
                    &fields,
                    field_message(
                        "oauth2-service-account-alone",
                        &["oauth2_service_account_file"],
                    ),
                )
                .with_hint(field_message(
                    "oauth2-service-account-alone-hint",
                    &["oauth2_service_account_file"],
                )),
            );
        }
    } else {
        if !is_set(&c.oauth2_client_id) {
            errors.push(Problem::missing(
                "oauth2_client_id",
                field_message(
                    "oauth2-set-client-id",
                    &["oauth2_client_id", "oauth2_service_account_file"],
                ),
            ));
        }
        if !is_set(&c.oauth2_refresh_token) && !is_set(&c.oauth2_client_secret) {
            errors.push(Problem::missing(
                "oauth2_client_secret",
                field_message(
                    "oauth2-set-client-secret",
                    &["oauth2_client_secret", "oauth2_refresh_token"],
                ),
            ));
        }
    }
    login_rules(c, lead, errors);
    token_url_rules(c, client, errors);
}

/// The mailbox is MAIL_USERNAME; no password, and a login at all.
fn login_rules(c: &ConnectionPartial, lead: &'static str, errors: &mut Vec<Problem>) {
    let in_url = |part: fn(&SmtpUrl) -> bool| match &c.url {
        Some(Some(url)) => Some(part(url)),
        Some(None) => Some(false),
        None => None,
    };
    // Unknown when MAIL_URL did not load: taken as given, so as not to report a false missing.
    let username = in_url(|u| u.username.is_some()) != Some(false) || is_set(&c.username);
    if !username {
        errors.push(Problem::missing(
            "username",
            field_message("oauth2-set-username", &["username"]),
        ));
    }
    let mut password = Vec::new();
    if in_url(|u| u.password.is_some()) == Some(true) {
        password.push("url");
    }
    if is_set(&c.password) {
        password.push("password");
    }
    if !password.is_empty() {
        password.push(lead);
        errors.push(
            Problem::conflict(&password, Message::new("oauth2-no-password"))
                .with_hint(Message::new("oauth2-no-password-hint")),
        );
    }
    if c.use_credentials == Some(false) {
        errors.push(
            Problem::conflict(
                &["use_credentials", lead],
                field_message("oauth2-no-login", &["use_credentials"]),
            )
            .with_hint(field_message("oauth2-no-login-hint", &["use_credentials"])),
        );
    }
}

/// A client's token URL: given, or built from the provider's preset (with the tenant).
fn token_url_rules(c: &ConnectionPartial, client: bool, errors: &mut Vec<Problem>) {
    let tenant = is_set(&c.oauth2_tenant);
    if tenant && is_set(&c.oauth2_token_url) {
        errors.push(
            Problem::conflict(
                &["oauth2_tenant", "oauth2_token_url"],
                field_message(
                    "oauth2-tenant-and-url",
                    &["oauth2_tenant", "oauth2_token_url"],
                ),
            )
            .with_hint(Message::new("oauth2-tenant-and-url-hint")),
        );
        return;
    }
    if !client || is_set(&c.oauth2_token_url) {
        return;
    }
    // The provider must have loaded to say what it gives.
    let Some(provider) = &c.provider else { return };
    let preset = provider.as_ref().and_then(|p| p.provider.oauth2);
    match preset {
        Some(p) if p.needs_tenant() && !tenant => errors.push(Problem::missing(
            "oauth2_tenant",
            field_message("oauth2-set-tenant", &["oauth2_tenant"]),
        )),
        Some(p) if p.needs_tenant() || !tenant => {}
        _ if tenant => errors.push(
            Problem::conflict(
                &["oauth2_tenant", "provider"],
                field_message(
                    "oauth2-tenant-not-microsoft",
                    &["oauth2_tenant", "provider"],
                ),
            )
            .with_hint(field_message(
                "oauth2-tenant-not-microsoft-hint",
                &["provider", "oauth2_token_url", "oauth2_tenant"],
            )),
        ),
        _ => errors.push(Problem::missing(
            "oauth2_token_url",
            field_message(
                "oauth2-set-token-url",
                &["oauth2_token_url", "provider", "oauth2_tenant"],
            ),
        )),
    }
}

/// https, or http to this machine (a test endpoint or a local token broker).
pub(crate) fn token_url_scheme(url: &Option<Url>) -> Result<(), Invalid> {
    let Some(url) = url else { return Ok(()) };
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.strip_suffix('.').unwrap_or(d);
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            Invalid::new("invalid_url", Message::new("oauth2-url-login"))
                .with_hint(Message::new("oauth2-url-login-hint")),
        );
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(
            Invalid::new("insecure_url", Message::new("oauth2-url-http"))
                .with_hint(Message::new("oauth2-url-http-hint")),
        ),
        scheme => Err(Invalid::new(
            "invalid_url",
            Message::new("oauth2-url-scheme").arg("scheme", scheme),
        )
        .with_hint(Message::new("oauth2-url-scheme-hint"))),
    }
}

/// A tenant ID (GUID) or domain ends up in a URL path: nothing that would change the URL.
pub(crate) fn tenant_chars(tenant: &Option<String>) -> Result<(), Invalid> {
    let Some(tenant) = tenant else { return Ok(()) };
    let fine = !tenant.is_empty()
        && tenant.len() <= 253
        && tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if fine {
        Ok(())
    } else {
        Err(
            Invalid::new("invalid_tenant", Message::new("oauth2-tenant-chars"))
                .with_hint(Message::new("oauth2-tenant-chars-hint")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_urls_are_https_unless_loopback() {
        let check = |s: &str| token_url_scheme(&Some(Url::parse(s).unwrap()));
        assert!(check("https://login.example.com/t/oauth2/v2.0/token").is_ok());
        assert!(check("http://127.0.0.1:8080/token").is_ok());
        assert!(check("http://[::1]:8080/token").is_ok());
        assert!(check("http://localhost/token").is_ok());
        assert_eq!(
            check("http://login.example.com/token").unwrap_err().code,
            "insecure_url"
        );
        assert_eq!(
            check("ftp://login.example.com/token").unwrap_err().code,
            "invalid_url"
        );
        let with_login = check("https://u:hunter2@login.example.com/token").unwrap_err();
        assert!(!with_login.to_string().contains("hunter2"), "{with_login}");
    }

    #[test]
    fn tenants_cannot_change_the_url() {
        assert!(tenant_chars(&Some("contoso.onmicrosoft.com".into())).is_ok());
        assert!(tenant_chars(&Some("8d2e1c7a-4b6f-4e39-9a51-2f0c3b7d9e64".into())).is_ok());
        for bad in ["a/b", "x?y", "", "t#"] {
            assert!(tenant_chars(&Some(bad.into())).is_err(), "{bad}");
        }
    }

    #[test]
    fn without_the_feature_each_setting_is_an_error_naming_it() {
        use mailconf_core::MailConfig;
        // A whole connection's partial is long to write: take one from a real load.
        let config = crate::SmtpConfig::from_map([
            ("MAIL_SERVER", "smtp.example.com"),
            ("MAIL_PORT", "587"),
            ("MAIL_STARTTLS", "true"),
            ("MAIL_SSL_TLS", "false"),
            ("MAIL_USERNAME", "app@example.com"),
            ("MAIL_FROM", "app@example.com"),
            ("MAIL_OAUTH2_TOKEN_URL", "https://login.example.com/token"),
            ("MAIL_OAUTH2_CLIENT_ID", "app"),
            ("MAIL_OAUTH2_CLIENT_SECRET", "s3cr3t-value"),
        ])
        .unwrap();
        let partial = crate::test_support::connection_partial(&config.connection);
        let mut errors = Vec::new();
        check_built(&partial, false, &mut errors);
        assert_eq!(errors.len(), 3, "{errors:?}");
        for p in &errors {
            let feature = mailconf_core::ProblemKind::Invalid {
                detail: "feature_disabled",
            };
            assert_eq!(p.kind(), &feature);
            assert!(
                p.hint().unwrap().to_string().contains("`oauth2` feature"),
                "{p:?}"
            );
            assert!(!format!("{p:?}").contains("s3cr3t-value"));
        }
        let mut errors = Vec::new();
        check_built(&partial, true, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
    }
}
