//! The rules between SMTP settings: the mistakes that otherwise surface only at send time, as a
//! hang, a cryptic TLS error, or a password sent in clear text.

use mailconf_core::{Error, Errors};

use crate::connection::Connection;
use crate::{Security, SmtpConfig, SmtpSettings, Warning};

/// The rules of the connection settings, run once they all parsed.
pub(crate) fn check(config: &Connection) -> Result<(), Errors> {
    let mut errors = Vec::new();
    if config.url.is_some() {
        url_conflicts(config, &mut errors);
    } else {
        separate_settings(config, &mut errors);
    }
    port_matches_security(config, &mut errors);
    credentials(config, &mut errors);
    Errors::from_vec(errors).map_or(Ok(()), Err)
}

/// The struct-level hook of [`SmtpConfig`]: the sender's two names agree, and a config that
/// loads logs its warnings.
pub(crate) fn check_config(config: &SmtpConfig) -> Result<(), Errors> {
    if let (Some(in_from), Some(from_name)) = (&config.from.name, &config.from_name)
        && in_from != from_name
    {
        return Err(Errors::new(
            Error::conflict_fields(
                &["from", "from_name"],
                "{from} has a display name and {from_name} gives a different one: which one to send is unclear",
            )
            .with_hint("keep only the address in {from}, or remove {from_name}"),
        ));
    }
    log_warnings(config)
}

/// Logs the warnings of a config that loads.
// The signature is the derive's: a hook returns `Result`.
#[allow(clippy::unnecessary_wraps)]
fn log_warnings(config: &SmtpConfig) -> Result<(), Errors> {
    // Building the warnings costs more than the rest of a load: only when someone listens.
    if !tracing::enabled!(tracing::Level::WARN) {
        return Ok(());
    }
    for w in warnings(config) {
        tracing::warn!(key = %w.key, code = w.code, "{}", w.message);
    }
    Ok(())
}

fn url_conflicts(config: &Connection, errors: &mut Vec<Error>) {
    let mut also_set = vec!["url"];
    let separate = [
        ("server", config.server.is_some()),
        ("port", config.port.is_some()),
        ("starttls", config.starttls.is_some()),
        ("ssl_tls", config.ssl_tls.is_some()),
    ];
    also_set.extend(separate.iter().filter(|(_, set)| *set).map(|(f, _)| *f));
    if also_set.len() > 1 {
        errors.push(
            Error::conflict_fields(
                &also_set,
                "{url} already gives the server, port and TLS mode",
            )
            .with_hint("use either {url} or {server}, {port}, {starttls} and {ssl_tls}, not both"),
        );
    }
    let url = config.url.as_ref();
    if url.is_some_and(|u| u.username.is_some()) && config.username.is_some() {
        errors.push(
            Error::conflict_fields(&["url", "username"], "{url} already gives the login name")
                .with_hint("remove {username} or the user from {url}"),
        );
    }
    if url.is_some_and(|u| u.password.is_some()) && config.password.is_some() {
        errors.push(
            Error::conflict_fields(&["url", "password"], "{url} already gives the password")
                .with_hint("remove {password} or the password from {url}"),
        );
    }
}

/// Presence is checked by the loader (`required_unless = "url"`), so it is reported even when
/// another field fails to parse; what remains is the pair that cannot go together.
fn separate_settings(config: &Connection, errors: &mut Vec<Error>) {
    if config.starttls == Some(true) && config.ssl_tls == Some(true) {
        errors.push(
            Error::conflict_fields(
                &["starttls", "ssl_tls"],
                "{starttls} and {ssl_tls} are both true, but a connection uses one or the other",
            )
            .with_hint(format!(
                "port 587: {}; port 465: {}",
                flags(Security::StartTls),
                flags(Security::ImplicitTls)
            )),
        );
    }
}

/// The two classic mix-ups, named by the symptom a user would otherwise see.
fn port_matches_security(config: &Connection, errors: &mut Vec<Error>) {
    let Some(security) = known_security(config) else {
        return;
    };
    let port = match &config.url {
        Some(url) => url.port,
        None => config.port,
    };
    let Some(port) = port.map(|p| p.get()) else {
        return;
    };
    let fields: &[&str] = if config.url.is_some() {
        &["url"]
    } else {
        &["port", "starttls", "ssl_tls"]
    };
    match (security, port) {
        (Security::StartTls, 465) => errors.push(
            Error::conflict_fields(fields, "port 465 expects TLS from the first byte (implicit TLS), but STARTTLS is configured: the client waits for a plain-text greeting that never comes, and the send hangs until it times out")
                .with_hint(format!("for port 465 set {}; to keep STARTTLS use {{port}}=587", flags(Security::ImplicitTls))),
        ),
        (Security::ImplicitTls, 587 | 25) => errors.push(
            Error::conflict_fields(fields, format!("port {port} speaks plain text first and upgrades with STARTTLS, but implicit TLS is configured: the handshake fails with \"wrong version number\" (OpenSSL) or \"InvalidContentType\" (rustls)"))
                .with_hint(format!("for port {port} set {}; to keep implicit TLS use {{port}}=465", flags(Security::StartTls))),
        ),
        _ => {}
    }
}

fn credentials(config: &Connection, errors: &mut Vec<Error>) {
    if !config.use_credentials {
        return;
    }
    let mut complete = true;
    if config.username().is_none() {
        complete = false;
        errors.push(Error::missing_field(
            "username",
            "set {username}, or {use_credentials}=false if the server needs no login",
        ));
    }
    if config.password().is_none() {
        complete = false;
        errors.push(Error::missing_field("password", "set {password} (or {password}_FILE), or {use_credentials}=false if the server needs no login"));
    }
    let endpoint = config.endpoint();
    if complete
        && known_security(config) == Some(Security::Plain)
        && !endpoint.host.is_loopback()
        && !config.allow_insecure_auth
    {
        let fields: &[&str] = if config.url.is_some() {
            &["url", "use_credentials"]
        } else {
            &["starttls", "ssl_tls", "use_credentials"]
        };
        errors.push(
            Error::conflict_fields(fields, format!("the password would be sent unencrypted to {}: no TLS is configured", endpoint.host))
                .with_hint("set {starttls}=true (port 587) or {ssl_tls}=true (port 465); on a trusted network {allow_insecure_auth}=true allows it"),
        );
    }
}

/// The flags that select `security`, as placeholders the loader names (`MAIL_STARTTLS=true`
/// for `SmtpConfig` alone, `APP_MAIL_STARTTLS=true` under `APP_`).
fn flags(security: Security) -> String {
    let (starttls, ssl_tls) = security.flag_values();
    format!("{{starttls}}={starttls}, {{ssl_tls}}={ssl_tls}")
}

/// The TLS mode, unless the flags that give it are missing or conflicting (reported elsewhere).
fn known_security(config: &Connection) -> Option<Security> {
    match (&config.url, config.starttls, config.ssl_tls) {
        (Some(url), _, _) => Some(url.security),
        (None, Some(starttls), Some(ssl_tls)) => Security::from_flags(starttls, ssl_tls),
        _ => None,
    }
}

/// Settings that work but deserve attention.
pub(crate) fn warnings(config: &SmtpConfig) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut warn = |key: &str, code, message: String, hint: &str| {
        out.push(Warning::new(key, code, message).with_hint(hint));
    };
    if !config.validate_certs {
        warn("VALIDATE_CERTS", "certificates_not_checked",
            "certificate checks are off: anyone on the network path can pose as the server and read the password".into(),
            "trust a private CA with MAIL_CA_FILE instead of turning the checks off");
    }
    if let Some(login_domain) = config
        .username()
        .and_then(|u| u.rsplit_once('@'))
        .map(|(_, d)| d)
        && !login_domain.eq_ignore_ascii_case(config.from.email.domain())
    {
        warn(
            "MAIL_FROM",
            "from_domain_mismatch",
            format!(
                "MAIL_FROM is at {} but the login is at {login_domain}: many servers refuse or rewrite a sender they do not own, and receivers may flag it (SPF/DMARC)",
                config.from.email.domain()
            ),
            "send from an address of the login's domain, or make sure the server may send for this one",
        );
    }
    if config.connection.allow_insecure_auth {
        let endpoint = config.endpoint();
        if config.credentials().is_some()
            && endpoint.security == Security::Plain
            && !endpoint.host.is_loopback()
        {
            warn(
                "MAIL_ALLOW_INSECURE_AUTH",
                "insecure_auth_allowed",
                format!("the password is sent unencrypted to {}", endpoint.host),
                "use STARTTLS or implicit TLS unless the network is trusted",
            );
        }
    }
    for (key, host) in [
        ("MAIL_SERVER", config.connection.server.as_ref()),
        ("LOCAL_HOSTNAME", config.local_hostname.as_ref()),
    ] {
        if let Some(host) = host.filter(|h| h.has_underscore()) {
            warn(
                key,
                "underscore_in_host",
                format!(
                    "{host} has a `_`, which DNS host names cannot hold: it resolves only through a local resolver (Docker Compose service names, /etc/hosts), and no public CA issues a certificate for it"
                ),
                "fine for a Docker Compose service such as mail_hog; for a real server use its DNS name (with `-` instead of `_`)",
            );
        }
    }
    if config.template_folder.is_some() {
        warn("TEMPLATE_FOLDER", "ignored_setting",
            "TEMPLATE_FOLDER is accepted for fastapi-mail compatibility; mailconf does not render templates".into(),
            "render templates in your application and pass the result to the Mailer");
    }
    out
}
