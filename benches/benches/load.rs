//! Loading and validating `SmtpConfig`, next to the same settings through serde + `envy` with
//! hand-written checks.
//!
//! Run: `cargo bench -p benches --bench load`. Results: `docs/BENCHMARKS.md`.
//!
//! The process-environment cases need the variables set in this process. Rather than calling
//! `std::env::set_var` (unsafe in edition 2024), `main` runs this same binary again as a child
//! with the variables set (see [`main`]), so the bench has no `unsafe` at all.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group};
use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::{Security, SmtpConfig, SmtpSettings};
use serde::{Deserialize, Deserializer};

#[path = "../../mailconf-smtp/tests/support/fastapi_mail.rs"]
mod fastapi_mail;

use fastapi_mail::{FASTAPI_MAIL, with};

/// The same deployment written for fastapi-mail before 1.2: `MAIL_TLS` / `MAIL_SSL` instead of
/// `MAIL_STARTTLS` / `MAIL_SSL_TLS`. mailconf reports four problems at once (two renamed keys,
/// two missing ones with a rename hint); envy stops at the first missing field.
fn old_fastapi_mail() -> Vec<(&'static str, &'static str)> {
    with(&[
        ("MAIL_STARTTLS", None),
        ("MAIL_SSL_TLS", None),
        ("MAIL_TLS", Some("True")),
        ("MAIL_SSL", Some("False")),
    ])
}

/// Set in the child process that runs the benchmarks with `FASTAPI_MAIL` in its environment.
const CHILD_MARKER: &str = "MAILCONF_BENCH_LOAD_CHILD";

// ---------------------------------------------------------------------------------------------
// The baseline: serde + envy, then checks equivalent to mailconf's rules.

/// fastapi-mail's keys as one flat serde struct; envy lower-cases the variable names.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Fields are read only by `check` or not at all, like an app's settings.
struct EnvySettings {
    mail_username: Option<String>,
    mail_password: Option<String>,
    mail_from: String,
    mail_from_name: Option<String>,
    mail_port: u16,
    mail_server: String,
    #[serde(deserialize_with = "python_bool")]
    mail_starttls: bool,
    #[serde(deserialize_with = "python_bool")]
    mail_ssl_tls: bool,
    #[serde(default = "yes", deserialize_with = "python_bool")]
    use_credentials: bool,
    #[serde(default = "yes", deserialize_with = "python_bool")]
    validate_certs: bool,
    #[serde(default = "sixty")]
    timeout: u64,
    #[serde(default, deserialize_with = "python_bool")]
    suppress_send: bool,
    #[serde(default, deserialize_with = "python_bool")]
    mail_debug: bool,
    local_hostname: Option<String>,
    template_folder: Option<PathBuf>,
    mail_ca_file: Option<PathBuf>,
}

fn yes() -> bool {
    true
}

fn sixty() -> u64 {
    60
}

/// `True`, `False`, `1`, `0` as Python users write them (`bool::from_str` takes only `true`
/// and `false`, so plain envy would reject the fastapi-mail environment).
fn python_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    let raw = String::deserialize(deserializer)?;
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(serde::de::Error::custom(format!(
            "expected a boolean, got {raw:?}"
        ))),
    }
}

/// The core rules, by hand: port range, both TLS flags, port/TLS mismatch, credentials
/// present, an `@` in the sender. Collects every problem, like mailconf does.
fn check(settings: &EnvySettings) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    if settings.mail_port == 0 {
        errors.push("MAIL_PORT: must be between 1 and 65535".to_owned());
    }
    match (
        settings.mail_starttls,
        settings.mail_ssl_tls,
        settings.mail_port,
    ) {
        (true, true, _) => {
            errors.push("MAIL_STARTTLS and MAIL_SSL_TLS are both true".to_owned());
        }
        (true, false, 465) => {
            errors.push("port 465 expects implicit TLS, but STARTTLS is configured".to_owned());
        }
        (false, true, 587 | 25) => {
            errors.push(format!(
                "port {} expects STARTTLS, but implicit TLS is configured",
                settings.mail_port
            ));
        }
        _ => {}
    }
    if settings.use_credentials {
        if settings.mail_username.is_none() {
            errors.push("MAIL_USERNAME: missing (USE_CREDENTIALS is on)".to_owned());
        }
        if settings.mail_password.is_none() {
            errors.push("MAIL_PASSWORD: missing (USE_CREDENTIALS is on)".to_owned());
        }
    }
    if !settings.mail_from.contains('@') {
        errors.push("MAIL_FROM: not an email address".to_owned());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// What the baseline returns: the first serde error, or every rule violation.
#[derive(Debug)]
#[allow(dead_code)] // Only ever printed or black-boxed.
enum BaselineError {
    Parse(envy::Error),
    Rules(Vec<String>),
}

fn envy_load(pairs: &[(&str, &str)]) -> Result<EnvySettings, BaselineError> {
    let settings: EnvySettings = envy::from_iter(
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned())),
    )
    .map_err(BaselineError::Parse)?;
    check(&settings).map_err(BaselineError::Rules)?;
    Ok(settings)
}

// ---------------------------------------------------------------------------------------------

/// Fails loudly if the inputs do not do what the benchmark names say.
fn sanity_checks() {
    let config = SmtpConfig::from_map(FASTAPI_MAIL).expect("the fastapi-mail set loads");
    assert_eq!(config.endpoint().security, Security::StartTls);
    assert_eq!(config.endpoint().port.get(), 587);
    let from_env = SmtpConfig::from_env().expect("the environment set by main loads");
    assert_eq!(from_env.endpoint(), config.endpoint());
    let old_keys = old_fastapi_mail();
    let errors =
        SmtpConfig::from_map(old_keys.iter().copied()).expect_err("the old keys are rejected");
    assert_eq!(errors.len(), 4, "{errors}");
    let baseline = envy_load(&FASTAPI_MAIL).expect("the baseline loads the same set");
    assert!(baseline.mail_starttls && !baseline.mail_ssl_tls);
    assert!(matches!(envy_load(&old_keys), Err(BaselineError::Parse(_))));
    // The environment's size drives the cost of the `from_env` cases.
    eprintln!(
        "the process environment holds {} variables",
        std::env::vars_os().count()
    );
}

fn load(c: &mut Criterion) {
    sanity_checks();
    let old_keys = old_fastapi_mail();
    let mut group = c.benchmark_group("load");

    group.bench_function("mailconf/from_map", |b| {
        b.iter(|| SmtpConfig::from_map(black_box(FASTAPI_MAIL)).unwrap())
    });

    let sources = Sources::new().map(FASTAPI_MAIL);
    group.bench_function("mailconf/load_prebuilt_map_sources", |b| {
        b.iter(|| SmtpConfig::load(black_box(&sources)).unwrap())
    });

    group.bench_function("mailconf/from_env", |b| {
        b.iter(|| SmtpConfig::from_env().unwrap())
    });

    // The floor of `from_env`: std copies every variable of the process into owned strings.
    group.bench_function("std/env_vars_os_snapshot", |b| {
        b.iter(|| std::env::vars_os().collect::<Vec<_>>())
    });

    let env_sources = Sources::new().env();
    group.bench_function("mailconf/load_prebuilt_env_sources", |b| {
        b.iter(|| SmtpConfig::load(black_box(&env_sources)).unwrap())
    });

    group.bench_function("mailconf/from_map_old_keys_4_errors", |b| {
        b.iter(|| SmtpConfig::from_map(black_box(&old_keys).iter().copied()).unwrap_err())
    });

    group.bench_function("mailconf/from_map_old_keys_4_errors_rendered", |b| {
        b.iter(|| {
            SmtpConfig::from_map(black_box(&old_keys).iter().copied())
                .unwrap_err()
                .to_string()
        })
    });

    group.bench_function("envy_baseline/from_iter_and_checks", |b| {
        b.iter(|| envy_load(black_box(&FASTAPI_MAIL)).unwrap())
    });

    group.bench_function("envy_baseline/from_iter_old_keys_first_error", |b| {
        b.iter(|| envy_load(black_box(&old_keys)).unwrap_err())
    });

    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = load
}

/// Runs the benchmarks in a child process of this same binary whose environment holds the
/// fastapi-mail variables (and no other `MAIL_*` variable), so that `from_env` has something to
/// load without `std::env::set_var`. The arguments (`--bench`, filters…) are passed on.
fn main() {
    if std::env::var_os(CHILD_MARKER).is_some() {
        benches();
        Criterion::default().configure_from_args().final_summary();
        return;
    }
    let exe = std::env::current_exe().expect("the path of this benchmark binary");
    let mut child = Command::new(exe);
    child.args(std::env::args_os().skip(1));
    for (key, _) in std::env::vars_os() {
        let stale = key.to_str().is_some_and(|k| {
            k.starts_with("MAIL_") || FASTAPI_MAIL.iter().any(|(name, _)| *name == k)
        });
        if stale {
            child.env_remove(key);
        }
    }
    child.envs(FASTAPI_MAIL).env(CHILD_MARKER, "1");
    let status = child.status().expect("run the benchmark child process");
    std::process::exit(status.code().unwrap_or(1));
}
