//! The rules between SMTP settings: the mistakes that otherwise surface only at send time, as a
//! hang, a cryptic TLS error, or a password sent in clear text.

use mailconf_core::{FromValue, Message, Problem, Problems};

use crate::config::SmtpConfigPartial;
use crate::connection::ConnectionPartial;
use crate::security::PLACEHOLDERS;
use crate::{Provider, Security, SmtpConfig, SmtpSettings, SmtpUrl, Warning};

// The hooks get the settings that loaded: `None` for one that did not (its problem is reported
// already), `Some(None)` for an optional one that is not set. Each rule uses what it needs and
// is skipped when that did not load, so one bad value hides no other mistake.

/// Set, whether or not its value loaded: a setting that did not load was set to something.
pub(crate) fn is_set<T>(setting: &Option<Option<T>>) -> bool {
    !matches!(setting, Some(None))
}

/// `id` with each of `fields` given as its `{field}` placeholder, which the loader turns into
/// the variable's name.
pub(crate) fn field_message(id: &'static str, fields: &[&'static str]) -> Message {
    fields.iter().fold(Message::new(id), |message, field| {
        message.arg(field, format!("{{{field}}}"))
    })
}

/// Two or more settings that cannot go together: the message `id` and its hint `hint_id`,
/// each naming `message_fields` and `hint_fields` by their variables.
pub(crate) fn conflict(
    fields: &[&'static str],
    (id, message_fields): (&'static str, &[&'static str]),
    (hint_id, hint_fields): (&'static str, &[&'static str]),
) -> Problem {
    Problem::conflict(fields, field_message(id, message_fields))
        .with_hint(field_message(hint_id, hint_fields))
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
    crate::oauth2::settings::check(config, &mut errors);
    Problems::from_vec(errors).map_or(Ok(()), Err)
}

/// The struct-level hook of [`SmtpConfig`]: the sender's two names agree, and a config that
/// loads logs its warnings.
pub(crate) fn check_config(config: &SmtpConfigPartial) -> Result<(), Problems> {
    if let (Some(from), Some(Some(from_name))) = (&config.from, &config.from_name)
        && let Some(in_from) = &from.name
        && in_from != from_name
    {
        return Err(Problems::from(conflict(
            &["from", "from_name"],
            ("rule-from-name-conflict", &["from", "from_name"]),
            ("rule-from-name-conflict-hint", &["from", "from_name"]),
        )));
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
        errors.push(conflict(
            &also_set,
            ("rule-url-gives-endpoint", &["url"]),
            (
                "rule-url-gives-endpoint-hint",
                &["url", "server", "port", "starttls", "ssl_tls", "provider"],
            ),
        ));
    }
    if url.username.is_some() && is_set(&config.username) {
        errors.push(conflict(
            &["url", "username"],
            ("rule-url-gives-username", &["url"]),
            ("rule-url-gives-username-hint", &["url", "username"]),
        ));
    }
    if url.password.is_some() && is_set(&config.password) {
        errors.push(conflict(
            &["url", "password"],
            ("rule-url-gives-password", &["url"]),
            ("rule-url-gives-password-hint", &["url", "password"]),
        ));
    }
}

/// Presence is checked by the loader (`required_unless = "url"`), so it is reported even when
/// another field fails to parse; what remains is the pair that cannot go together.
fn separate_settings(config: &ConnectionPartial, errors: &mut Vec<Problem>) {
    if config.starttls == Some(Some(true)) && config.ssl_tls == Some(Some(true)) {
        errors.push(
            Problem::conflict(
                &["starttls", "ssl_tls"],
                field_message("rule-both-tls", &["starttls", "ssl_tls"]),
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
    // Under OAuth2 there is no password to ask for.
    let oauth2 = crate::oauth2::settings::used(config);
    let ask = !oauth2;
    if ask && !username && !is_set(&config.username) {
        errors.push(Problem::missing(
            "username",
            Message::new("rule-set-username")
                .arg("username", "{username}")
                .arg("use_credentials", "{use_credentials}"),
        ));
    }
    if ask && !password && !is_set(&config.password) {
        errors.push(Problem::missing(
            "password",
            Message::new("rule-set-password")
                .arg("password", "{password}")
                .arg("use_credentials", "{use_credentials}"),
        ));
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
    if ((username && password) || oauth2)
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
                Message::new(if oauth2 {
                    "rule-token-in-clear"
                } else {
                    "rule-password-in-clear"
                })
                .arg("host", host.to_string()),
            )
            .with_hint(
                Message::new("rule-password-in-clear-hint")
                    .arg("choices", Security::tls_choices(&PLACEHOLDERS))
                    .arg("allow_insecure_auth", "{allow_insecure_auth}"),
            ),
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
    let mut warn = |key: &str, code, message: Message, hint: Message| {
        out.push(Warning::new(key, code, message).with_hint(hint));
    };
    if !config.validate_certs {
        warn(
            "VALIDATE_CERTS",
            "certificates_not_checked",
            Message::new("warning-certificates-not-checked"),
            Message::new("warning-certificates-not-checked-hint"),
        );
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
            Message::new("warning-from-domain-mismatch")
                .arg("from_domain", config.from.email.domain())
                .arg("login_domain", login_domain),
            Message::new("warning-from-domain-mismatch-hint"),
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
                Message::new("warning-insecure-auth").arg("host", endpoint.host.to_string()),
                Message::new("warning-insecure-auth-hint"),
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
                Message::new("warning-underscore-in-host").arg("host", host.to_string()),
                Message::new("warning-underscore-in-host-hint"),
            );
        }
    }
    provider_warnings(config, &mut warn);
    out
}

/// A server that is a known provider's, on a port that provider does not offer; and a preset
/// whose server is overridden.
fn provider_warnings(
    config: &SmtpConfig,
    warn: &mut impl FnMut(&str, &'static str, Message, Message),
) {
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
                Message::new("warning-provider-overridden")
                    .arg("server", server.to_string())
                    .arg("provider", choice.provider.name)
                    .arg("host", choice.host()),
                Message::new("warning-provider-overridden-hint"),
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
                    Message::new("warning-provider-port")
                        .arg("server", server.to_string())
                        .arg("provider", provider.name)
                        .arg("offers", provider.offers_message())
                        .arg("port", endpoint.port.get()),
                    Message::new("warning-provider-port-hint")
                        .arg("port", provider.preset().port)
                        .arg("flags", provider.preset().security.flags().to_string())
                        .arg("source", provider.source),
                );
            }
        }
        _ => {}
    }
}
