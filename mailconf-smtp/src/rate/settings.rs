//! The send-limit settings: `MAIL_RATE_LIMIT` and the Redis store that shares it.

use std::fmt;

use mailconf_core::{FromValue, Invalid, MailConfig, Message, Problem, Problems, Secret};

use super::RateLimits;
use crate::rules::conflict;

/// What a send does while the Redis store of a shared limit cannot be reached
/// (`MAIL_RATE_LIMIT_REDIS_FAILURE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RedisFailure {
    /// Hold sends until Redis answers again (the default): the shared limit is never exceeded
    /// and nothing is lost, mail is only late. Replicated Redis fails over in seconds.
    #[default]
    Wait,
    /// Fall back to this process's own limiter with the same windows: mail keeps flowing, but
    /// N processes may together send up to N times the limit until Redis is back.
    Local,
    /// Fail the send at once (stage `setup`), for applications that queue and retry themselves.
    Fail,
}

impl RedisFailure {
    /// The setting's spelling: `wait`, `local` or `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            RedisFailure::Wait => "wait",
            RedisFailure::Local => "local",
            RedisFailure::Fail => "fail",
        }
    }
}

impl fmt::Display for RedisFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromValue for RedisFailure {
    const TYPE_NAME: &'static str = "wait, local or fail";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "wait" => Ok(RedisFailure::Wait),
            "local" => Ok(RedisFailure::Local),
            "fail" => Ok(RedisFailure::Fail),
            _ => Err(
                Invalid::new("invalid_choice", Message::new("rate-failure-expected"))
                    .with_hint(Message::new("rate-failure-hint")),
            ),
        }
    }
}

/// A limit shared through Redis by every process that uses the same key.
///
/// `Debug` never shows the URL's password.
#[derive(Debug, Clone)]
pub struct SharedLimit {
    /// `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS); for a Cluster, the seed
    /// nodes separated by commas.
    pub url: Secret<String>,
    /// Processes with the same key share one limit (`MAIL_RATE_LIMIT_KEY`).
    pub key: String,
    /// What a send does while Redis cannot be reached.
    pub on_failure: RedisFailure,
    /// Connect as a Redis Cluster client (`MAIL_RATE_LIMIT_REDIS_CLUSTER`).
    pub cluster: bool,
}

impl SharedLimit {
    /// The store's address without user or password, for messages and logs.
    pub fn redacted_url(&self) -> String {
        redacted(self.url.expose_secret())
    }
}

/// `scheme://host:port` of each URL of a list: never the login.
pub(crate) fn redacted(urls: &str) -> String {
    urls.split(',')
        .map(|one| match url::Url::parse(one.trim()) {
            Ok(u) => format!(
                "{}://{}:{}",
                u.scheme(),
                u.host_str().unwrap_or("?"),
                u.port().unwrap_or(6379)
            ),
            Err(_) => "(unparsable URL)".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The send-limit part of [`crate::SmtpConfig`], flattened into it (same `MAIL_` names).
#[derive(MailConfig, Debug, Clone)]
#[mailconf(validate = check)]
pub(crate) struct RateSettings {
    /// Most messages sent per period, such as 100/min or 5/s; several windows that must all hold are separated by commas, such as 14/s,50000/day.
    #[mailconf(rename = "RATE_LIMIT")]
    pub(crate) rate_limit: Option<RateLimits>,
    /// Share MAIL_RATE_LIMIT with every process using the same MAIL_RATE_LIMIT_KEY through this Redis: redis://[:password@]host:6379 or rediss:// for TLS.
    #[mailconf(rename = "RATE_LIMIT_REDIS_URL", validate = redis_urls)]
    pub(crate) redis_url: Option<Secret<String>>,
    /// Name of the shared limit in Redis (default: the SMTP server's host name); processes with the same name share one limit.
    #[mailconf(rename = "RATE_LIMIT_KEY", validate = key_chars)]
    pub(crate) key: Option<String>,
    /// While Redis cannot be reached: wait (default: hold mail, never exceed the limit), local (this process's own limit), or fail.
    #[mailconf(rename = "RATE_LIMIT_REDIS_FAILURE")]
    pub(crate) on_failure: Option<RedisFailure>,
    /// MAIL_RATE_LIMIT_REDIS_URL lists the seed nodes of a Redis Cluster.
    #[mailconf(rename = "RATE_LIMIT_REDIS_CLUSTER")]
    pub(crate) cluster: Option<bool>,
}

impl RateSettings {
    pub(crate) fn shared(&self, default_key: impl FnOnce() -> String) -> Option<SharedLimit> {
        let url = self.redis_url.clone()?;
        Some(SharedLimit {
            url,
            key: self.key.clone().unwrap_or_else(default_key),
            on_failure: self.on_failure.unwrap_or_default(),
            cluster: self.cluster.unwrap_or(false),
        })
    }
}

/// A setting that could do nothing is an error, not silently ignored. A setting that did not
/// load (`None`) was set: only `Some(None)` is unset.
fn check(settings: &RateSettingsPartial) -> Result<(), Problems> {
    check_built(settings, cfg!(feature = "redis"))
}

/// [`check`], for a build of this crate with or without its `redis` feature.
fn check_built(settings: &RateSettingsPartial, redis_built: bool) -> Result<(), Problems> {
    let mut errors = Vec::new();
    let redis_url_unset = matches!(settings.redis_url, Some(None));
    // A URL that did not load is reported already; one that did would be dropped.
    if matches!(settings.redis_url, Some(Some(_))) && !redis_built {
        errors.push(
            Problem::invalid(
                "redis_url",
                Invalid::new("feature_disabled", Message::new("rate-redis-not-built")),
            )
            .with_hint(Message::new("rate-redis-not-built-hint").arg("redis_url", "{redis_url}")),
        );
    }
    if !redis_url_unset && matches!(settings.rate_limit, Some(None)) {
        errors.push(conflict(
            &["redis_url", "rate_limit"],
            ("rate-shared-needs-limit", &["rate_limit"]),
            ("rate-shared-needs-limit-hint", &["rate_limit", "redis_url"]),
        ));
    }
    let needs_url = [
        ("key", !matches!(settings.key, Some(None))),
        ("on_failure", !matches!(settings.on_failure, Some(None))),
        // `false` states the default (one node) and so asks for nothing; a settings form's
        // unticked checkbox sends exactly that.
        ("cluster", settings.cluster == Some(Some(true))),
    ];
    if redis_url_unset {
        for (field, _) in needs_url.iter().filter(|(_, set)| *set) {
            errors.push(conflict(
                &[field, "redis_url"],
                ("rate-needs-redis", &["redis_url"]),
                ("rate-needs-redis-hint", &["redis_url"]),
            ));
        }
    }
    Problems::from_vec(errors).map_or(Ok(()), Err)
}

fn redis_urls(url: &Option<Secret<String>>) -> Result<(), Invalid> {
    let Some(url) = url else { return Ok(()) };
    let hint = || Message::new("rate-redis-url-hint");
    for one in url.expose_secret().split(',') {
        // The message never quotes the value: it may hold the password.
        let parsed = url::Url::parse(one.trim()).map_err(|e| {
            Invalid::new("invalid_url", mailconf_core::url_problem(e)).with_hint(hint())
        })?;
        if !matches!(parsed.scheme(), "redis" | "rediss") {
            return Err(Invalid::new(
                "invalid_url",
                Message::new("rate-redis-scheme").arg("scheme", parsed.scheme()),
            )
            .with_hint(hint()));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(
                Invalid::new("invalid_url", Message::new("smtp-url-no-host")).with_hint(hint()),
            );
        }
        #[cfg(feature = "redis")]
        if redis::IntoConnectionInfo::into_connection_info(one.trim()).is_err() {
            return Err(
                Invalid::new("invalid_url", Message::new("rate-redis-refused")).with_hint(hint()),
            );
        }
    }
    Ok(())
}

fn key_chars(key: &Option<String>) -> Result<(), Invalid> {
    let Some(key) = key else { return Ok(()) };
    let fine = !key.is_empty()
        && key.len() <= 200
        && key
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '{' && c != '}');
    if fine {
        Ok(())
    } else {
        Err(Invalid::new("invalid_key", Message::new("rate-key-chars"))
            .with_hint(Message::new("rate-key-chars-hint")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_without_quoting_them() {
        let ok = |s: &str| redis_urls(&Some(Secret::new(s.to_owned())));
        assert!(ok("redis://127.0.0.1:6379").is_ok());
        assert!(ok("rediss://:hunter2@cache.internal:6380/2").is_ok());
        assert!(ok("redis://a:7000,redis://b:7001").is_ok());
        for bad in [
            "http://:hunter2@x",
            "hunter2",
            "redis://:hunter2@",
            "redis://a:1,",
        ] {
            let e = ok(bad).unwrap_err();
            assert_eq!(e.code, "invalid_url", "{bad}");
            assert!(!e.to_string().contains("hunter2"), "{e}");
        }
    }

    #[test]
    fn the_redacted_url_keeps_host_and_port_only() {
        assert_eq!(
            redacted("rediss://user:hunter2@cache.internal:6380/2"),
            "rediss://cache.internal:6380"
        );
        assert_eq!(
            redacted("redis://a,redis://b:7001"),
            "redis://a:6379,redis://b:7001"
        );
    }

    #[test]
    fn a_redis_url_without_the_redis_feature_is_an_error_on_it() {
        let set = RateSettingsPartial {
            rate_limit: Some(Some(RateLimits::from_value("10/s").unwrap())),
            redis_url: Some(Some(Secret::new("redis://127.0.0.1:6379".to_owned()))),
            key: Some(None),
            on_failure: Some(None),
            cluster: Some(None),
        };
        let problems = check_built(&set, false).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = problems.iter().next().unwrap();
        assert_eq!(p.fields(), ["redis_url"]);
        let feature = mailconf_core::ProblemKind::Invalid {
            detail: "feature_disabled",
        };
        assert_eq!(p.kind(), &feature);
        assert!(
            p.hint().unwrap().to_string().contains("`redis` feature"),
            "{p:?}"
        );
        assert!(check_built(&set, true).is_ok());
        let unset = RateSettingsPartial {
            redis_url: Some(None),
            ..set
        };
        assert!(check_built(&unset, false).is_ok());
    }

    #[test]
    fn keys_leave_the_hash_tag_to_mailconf() {
        assert!(key_chars(&Some("myapp-ses".into())).is_ok());
        for bad in ["", "a b", "{x}", "é"] {
            assert!(key_chars(&Some(bad.into())).is_err(), "{bad}");
        }
    }
}
