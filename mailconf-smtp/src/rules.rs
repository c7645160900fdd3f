//! The rules between SMTP settings: the mistakes that otherwise surface only at send time, as a
//! hang, a cryptic TLS error, or a password sent in clear text.

use mailconf_core::{FromValue, Problem, Problems};

use crate::config::SmtpConfigPartial;
use crate::connection::ConnectionPartial;
use crate::security::PLACEHOLDERS;
use crate::{Provider, Security, SmtpConfig, SmtpSettings, SmtpUrl, Warning};

// The hooks get the settings that loaded: `None` for one that did not (its problem is reported
// already), `Some(None)` for an optional one that is not set. Each rule uses what it needs and
// is skipped when that did not load, so one bad value hides no other mistake.

/// Set, whether or not its value loaded: a setting that did not load was set to something.
fn is_set<T>(setting: &Option<Option<T>>) -> bool {
    !matches!(setting, Some(None))
}

/// The rules of the connection settings.
pub(crate) fn check(config: &ConnectionPartial) -> Result<(), Problems> {
    let mut errors = Vec::new();
    // Which settings are in force depends on MAIL_URL: unknown when it did not load.
    match &config.url {
        Some(Some(url)) => url_conflicts(url, config, &mut errors),
        Some(None) => separate_settings(config, &mut errors),
        None => {}
    }
    port_matches_security(config, &mut errors);
    provider_contradictions(config, &mut errors);
    credentials(config, &mut errors);
    Problems::from_vec(errors).map_or(Ok(()), Err)
}

/// The struct-level hook of [`SmtpConfig`]: the sender's two names agree, and a config that
/// loads logs its warnings.
pub(crate) fn check_config(config: &SmtpConfigPartial) -> Result<(), Problems> {
    if let (Some(from), Some(Some(from_name))) = (&config.from, &config.from_name)
        && let Some(in_from) = &from.name
        && in_from != from_name
    {
        return Err(Problems::from(
            Problem::conflict(
                &["from", "from_name"],
                "{from} has a display name and {from_name} gives a different one: which one to send is unclear",
            )
            .with_hint("keep only the address in {from}, or remove {from_name}"),
        ));
    }
    // Building the warnings costs more than the rest of a load: only when someone listens.
    if tracing::enabled!(tracing::Level::WARN)
        && let Some(config) = SmtpConfig::from_partial(config)
    {
        for w in warnings(&config) {
            tracing::warn!(key = %w.key, code = w.code, "{}", w.message);
        }
    }
    Ok(())
}

fn url_conflicts(url: &SmtpUrl, config: &ConnectionPartial, errors: &mut Vec<Problem>) {
    let mut also_set = vec!["url"];
    let separate = [
        ("server", is_set(&config.server)),
        ("port", is_set(&config.port)),
        ("starttls", is_set(&config.starttls)),
        ("ssl_tls", is_set(&config.ssl_tls)),
        ("provider", is_set(&config.provider)),
    ];
    also_set.extend(separate.iter().filter(|(_, set)| *set).map(|(f, _)| *f));
    if also_set.len() > 1 {
        errors.push(
            Problem::conflict(
                &also_set,
                "{url} already gives the server, port and TLS mode",
            )
            .with_hint("use either {url} or {server}, {port}, {starttls} and {ssl_tls} (or {provider}), not both"),
        );
    }
    if url.username.is_some() && is_set(&config.username) {
        errors.push(
            Problem::conflict(&["url", "username"], "{url} already gives the login name")
                .with_hint("remove {username} or the user from {url}"),
        );
    }
    if url.password.is_some() && is_set(&config.password) {
        errors.push(
            Problem::conflict(&["url", "password"], "{url} already gives the password")
                .with_hint("remove {password} or the password from {url}"),
        );
    }
}

/// Presence is checked by the loader (`required_unless = "url"`), so it is reported even when
/// another field fails to parse; what remains is the pair that cannot go together.
fn separate_settings(config: &ConnectionPartial, errors: &mut Vec<Problem>) {
    if config.starttls == Some(Some(true)) && config.ssl_tls == Some(Some(true)) {
        errors.push(
            Problem::conflict(
                &["starttls", "ssl_tls"],
                "{starttls} and {ssl_tls} are both true, but a connection uses one or the other",
            )
            .with_hint(Security::tls_choices(&PLACEHOLDERS)),
        );
    }
}

/// A mode on a well-known port of the other kind (`Security::port_mismatch`), named by the
/// symptom a user would otherwise see.
fn port_matches_security(config: &ConnectionPartial, errors: &mut Vec<Problem>) {
    let Some(security) = known_security(config) else {
        return;
    };
    let (port, fields): (_, &[&str]) = match &config.url {
        Some(Some(url)) => (url.port, &["url"]),
        _ => (
            config.port.as_ref().and_then(Option::as_ref).copied(),
            &["port", "starttls", "ssl_tls"],
        ),
    };
    let Some(port) = port.map(|p| p.get()) else {
        return;
    };
    if let Some(mismatch) = security.port_mismatch(port, &PLACEHOLDERS) {
        errors.push(Problem::conflict(fields, mismatch.message).with_hint(mismatch.fix));
    }
}

/// `MAIL_PROVIDER` with a port it does not offer, or a TLS mode it does not speak: the preset
/// is overridden by keys that cannot work with that provider.
fn provider_contradictions(config: &ConnectionPartial, errors: &mut Vec<Problem>) {
    let (Some(Some(choice)), Some(None)) = (&config.provider, &config.url) else {
        return;
    };
    // A setting that did not load is reported already: nothing to compare.
    let (Some(port), Some(starttls), Some(ssl_tls)) =
        (config.port, config.starttls, config.ssl_tls)
    else {
        return;
    };
    if let Err(contradiction) = choice.resolve(port.map(|p| p.get()), starttls, ssl_tls) {
        let mut fields = vec!["provider"];
        if port.is_some() {
            fields.push("port");
        }
        if starttls.is_some() || ssl_tls.is_some() {
            fields.extend(["starttls", "ssl_tls"]);
        }
        errors.push(Problem::conflict(&fields, contradiction.message).with_hint(contradiction.fix));
    }
}

fn credentials(config: &ConnectionPartial, errors: &mut Vec<Problem>) {
    // Whether to log in, and whether MAIL_URL gives the login, must be known.
    let (Some(true), Some(url)) = (config.use_credentials, &config.url) else {
        return;
    };
    let in_url = |part: fn(&SmtpUrl) -> bool| url.as_ref().is_some_and(part);
    let username = in_url(|u| u.username.is_some()) || matches!(config.username, Some(Some(_)));
    let password = in_url(|u| u.password.is_some()) || matches!(config.password, Some(Some(_)));
    if !username && !is_set(&config.username) {
        errors.push(Problem::missing(
            "username",
            "set {username}, or {use_credentials}=false if the server needs no login",
        ));
    }
    if !password && !is_set(&config.password) {
        errors.push(Problem::missing("password", "set {password} (or {password}_FILE), or {use_credentials}=false if the server needs no login"));
    }
    let preset_host = match &config.provider {
        Some(Some(choice)) => mailconf_core::Host::from_value(&choice.host()).ok(),
        _ => None,
    };
    let host = match url {
        Some(url) => Some(&url.host),
        None => config
            .server
            .as_ref()
            .and_then(Option::as_ref)
            .or(preset_host.as_ref()),
    };
    if username
        && password
        && known_security(config) == Some(Security::Plain)
        && let Some(host) = host
        && !host.is_loopback()
        && config.allow_insecure_auth == Some(false)
    {
        let fields: &[&str] = if url.is_some() {
            &["url", "use_credentials"]
        } else {
            &["starttls", "ssl_tls", "use_credentials"]
        };
        errors.push(
            Problem::conflict(
                fields,
                format!("the password would be sent unencrypted to {host}: no TLS is configured"),
            )
            .with_hint(format!(
                "use TLS ({}); on a trusted network {{allow_insecure_auth}}=true allows it",
                Security::tls_choices(&PLACEHOLDERS)
            )),
        );
    }
}

/// The TLS mode, unless the flags that give it are missing or conflicting (reported elsewhere).
fn known_security(config: &ConnectionPartial) -> Option<Security> {
    match (&config.url, config.starttls, config.ssl_tls) {
        (Some(Some(url)), _, _) => Some(url.security),
        (Some(None), Some(Some(starttls)), Some(Some(ssl_tls))) => {
            Security::from_flags(starttls, ssl_tls)
        }
        // The provider's preset, for the flags that are not set.
        (Some(None), Some(starttls), Some(ssl_tls)) => match (&config.provider, config.port) {
            (Some(Some(choice)), Some(port)) => choice
                .resolve(port.map(|p| p.get()), starttls, ssl_tls)
                .ok()
                .map(|offer| offer.security),
            _ => None,
        },
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
    provider_warnings(config, &mut warn);
    if config.template_folder.is_some() {
        warn("TEMPLATE_FOLDER", "ignored_setting",
            "TEMPLATE_FOLDER is accepted for fastapi-mail compatibility; mailconf does not render templates".into(),
            "render templates in your application and pass the result to the Mailer");
    }
    out
}

/// A server that is a known provider's, on a port that provider does not offer; and a preset
/// whose server is overridden.
fn provider_warnings(config: &SmtpConfig, warn: &mut impl FnMut(&str, &'static str, String, &str)) {
    let connection = &config.connection;
    if connection.url.is_some() {
        return;
    }
    let endpoint = config.endpoint();
    match (&connection.provider, &connection.server) {
        (Some(choice), Some(server))
            if !server.to_string().eq_ignore_ascii_case(&choice.host()) =>
        {
            warn(
                "MAIL_SERVER",
                "provider_overridden",
                format!(
                    "MAIL_SERVER={server} replaces {}'s server {}",
                    choice.provider.name,
                    choice.host()
                ),
                "fine for another server of the same provider (such as smtp.zoho.eu); otherwise remove MAIL_SERVER or MAIL_PROVIDER",
            );
        }
        (None, Some(server)) => {
            let Some(provider) = Provider::recognise(&server.to_string()) else {
                return;
            };
            if provider.offer(endpoint.port.get()).is_none() {
                warn(
                    "MAIL_PORT",
                    "provider_port",
                    format!(
                        "{server} is {}'s server, which is served on port {}, not {}",
                        provider.name,
                        provider.offers(),
                        endpoint.port
                    ),
                    &format!(
                        "set MAIL_PORT={} with {} (see {})",
                        provider.preset().port,
                        provider.preset().security.flags(),
                        provider.source
                    ),
                );
            }
        }
        _ => {}
    }
}
