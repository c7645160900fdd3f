//! Loading the send-limit settings: several windows, the Redis URL (or its `_FILE`), key and
//! failure policy, and the settings that would do nothing alone. The shared limit loads only
//! with the `redis` feature (`cargo test --workspace` enables it); without it (`cargo test -p
//! mailconf-smtp`, as .ci/run does) its URL is an error naming the feature.

use mailconf_core::MailConfig;
use mailconf_smtp::SmtpConfig;
#[cfg(feature = "redis")]
use mailconf_smtp::{RedisFailure, SmtpSettings};

const HUNTER: &str = "Redis-Pa55word-c0de";

fn base() -> Vec<(&'static str, String)> {
    [
        ("MAIL_SERVER", "smtp.example.com"),
        ("MAIL_PORT", "587"),
        ("MAIL_STARTTLS", "true"),
        ("MAIL_SSL_TLS", "false"),
        ("MAIL_USERNAME", "app@example.com"),
        ("MAIL_PASSWORD", "smtp-password"),
        ("MAIL_FROM", "app@example.com"),
    ]
    .map(|(k, v)| (k, v.to_owned()))
    .to_vec()
}

fn with(extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut map = base();
    map.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    map
}

#[cfg(feature = "redis")]
#[test]
fn several_windows_and_a_shared_limit_load() {
    let url = format!("rediss://:{HUNTER}@cache.internal:6380/0");
    let config = SmtpConfig::from_map(with(&[
        ("MAIL_RATE_LIMIT", "50000/day,14/s"),
        ("MAIL_RATE_LIMIT_REDIS_URL", &url),
        ("MAIL_RATE_LIMIT_REDIS_FAILURE", "local"),
    ]))
    .unwrap();
    assert_eq!(config.rate_limit().unwrap().to_string(), "14/s,50000/day");
    let shared = config.shared_rate_limit().unwrap();
    assert_eq!(shared.url.expose_secret(), &url);
    assert_eq!(shared.on_failure, RedisFailure::Local);
    // The default key is the SMTP server: replicas of one app share it without configuration.
    assert_eq!(shared.key, "smtp.example.com");
    assert_eq!(shared.redacted_url(), "rediss://cache.internal:6380");
    for shown in [format!("{config:?}"), format!("{shared:?}")] {
        assert!(!shown.contains(HUNTER), "{shown}");
    }
}

#[cfg(feature = "redis")]
#[test]
fn the_url_may_come_from_a_file_and_the_default_policy_is_wait() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("redis-url");
    std::fs::write(&file, format!("redis://:{HUNTER}@127.0.0.1:6379\n")).unwrap();
    let config = SmtpConfig::from_map(with(&[
        ("MAIL_RATE_LIMIT", "14/s"),
        ("MAIL_RATE_LIMIT_REDIS_URL_FILE", file.to_str().unwrap()),
        ("MAIL_RATE_LIMIT_KEY", "myapp-ses"),
    ]))
    .unwrap();
    let shared = config.shared_rate_limit().unwrap();
    assert_eq!(
        shared.url.expose_secret(),
        &format!("redis://:{HUNTER}@127.0.0.1:6379")
    );
    assert_eq!(
        (shared.key.as_str(), shared.on_failure),
        ("myapp-ses", RedisFailure::Wait)
    );
}

/// Built without the Redis client, a configured shared limit is refused on its own variable,
/// never dropped in silence.
#[cfg(not(feature = "redis"))]
#[test]
fn a_shared_limit_without_the_redis_feature_is_an_error_naming_it() {
    let errors = SmtpConfig::from_map(with(&[
        ("MAIL_RATE_LIMIT", "14/s"),
        (
            "MAIL_RATE_LIMIT_REDIS_URL",
            &format!("redis://:{HUNTER}@h:6379"),
        ),
    ]))
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");
    let e = errors
        .get("MAIL_RATE_LIMIT_REDIS_URL")
        .expect("keyed on the URL");
    assert_eq!(e.detail(), Some("feature_disabled"), "{errors}");
    assert!(e.hint().unwrap().contains("`redis` feature"), "{errors}");
    let text = format!("{errors} {errors:?}");
    assert!(!text.contains(HUNTER), "{text}");
}

#[test]
fn settings_that_would_do_nothing_are_errors_naming_them() {
    let errors = SmtpConfig::from_map(with(&[(
        "MAIL_RATE_LIMIT_REDIS_URL",
        &format!("redis://:{HUNTER}@h:6379"),
    )]))
    .unwrap_err();
    let text = errors.to_string();
    assert!(
        text.contains("MAIL_RATE_LIMIT_REDIS_URL") && text.contains("MAIL_RATE_LIMIT"),
        "{text}"
    );
    assert!(!text.contains(HUNTER), "{text}");

    let errors = SmtpConfig::from_map(with(&[
        ("MAIL_RATE_LIMIT", "14/s"),
        ("MAIL_RATE_LIMIT_KEY", "k"),
        ("MAIL_RATE_LIMIT_REDIS_FAILURE", "fail"),
    ]))
    .unwrap_err();
    assert!(errors.get("MAIL_RATE_LIMIT_KEY").is_some(), "{errors}");
    assert!(
        errors.get("MAIL_RATE_LIMIT_REDIS_FAILURE").is_some(),
        "{errors}"
    );
}

#[test]
fn a_cluster_flag_that_states_the_default_needs_no_redis_url() {
    // The settings page sends every checkbox, so an untouched one arrives as "false".
    let config = SmtpConfig::from_map(with(&[("MAIL_RATE_LIMIT_REDIS_CLUSTER", "false")]));
    assert!(config.is_ok(), "{:?}", config.err().map(|e| e.to_string()));
    let errors =
        SmtpConfig::from_map(with(&[("MAIL_RATE_LIMIT_REDIS_CLUSTER", "true")])).unwrap_err();
    assert!(
        errors.get("MAIL_RATE_LIMIT_REDIS_CLUSTER").is_some(),
        "{errors}"
    );
}

#[test]
fn bad_values_are_reported_without_the_password() {
    let errors = SmtpConfig::from_map(with(&[
        ("MAIL_RATE_LIMIT", "14/s,10/s"),
        ("MAIL_RATE_LIMIT_REDIS_URL", &format!("http://:{HUNTER}@h")),
        ("MAIL_RATE_LIMIT_KEY", "{tag}"),
        ("MAIL_RATE_LIMIT_REDIS_FAILURE", "retry"),
    ]))
    .unwrap_err();
    for key in [
        "MAIL_RATE_LIMIT",
        "MAIL_RATE_LIMIT_REDIS_URL",
        "MAIL_RATE_LIMIT_KEY",
        "MAIL_RATE_LIMIT_REDIS_FAILURE",
    ] {
        assert!(errors.get(key).is_some(), "{key} not reported: {errors}");
    }
    let text = format!("{errors} {errors:?}");
    assert!(!text.contains(HUNTER), "{text}");
}
