//! Every struct and field attribute at once.
#![deny(warnings)]

use std::time::Duration;

use mailconf_core::{ForeignKey, Invalid, MailConfig, Port, Problem, Problems, Secret};

const FOREIGN: &[ForeignKey] = &[ForeignKey {
    key: "ALL_WAIT_SECONDS",
    dialect: "Other",
    instead: "ALL_TIME_OUT",
    setting: "ALL_TIME_OUT",
    explain: None,
}];

#[derive(MailConfig)]
#[mailconf(prefix = "NET_")]
struct Limits {
    #[mailconf(default = 10)]
    retries: u32,
}

/// Every attribute.
#[derive(MailConfig)]
#[mailconf(
    prefix = "ALL_",
    rename_all = "UPPERCASE",
    allow_unknown,
    case_insensitive,
    foreign_keys = FOREIGN,
    validate = check_all
)]
struct All {
    #[mailconf(env = "FULL_NAME_PORT", alias = "PORT", alias = "LEGACY_PORT", validate = not_25)]
    port: Port,
    #[mailconf(
        rename = "TIME_OUT",
        renamed_from = "ALL_WAIT",
        renamed_from = "ALL_DELAY",
        default = "30s"
    )]
    timeout: Duration,
    #[mailconf(default = Duration::from_secs(5))]
    connect_timeout: Duration,
    #[mailconf(default, hint = "the pool holds 1 to 255 connections")]
    pool_size: u8,
    #[mailconf(secret)]
    api_key: Secret<String>,
    #[mailconf(flatten(prefix = "X_"))]
    limits: Limits,
    #[mailconf(skip)]
    cache: Vec<String>,
    #[mailconf(default = -1.5)]
    ratio: f64,
}

fn not_25(port: &Port) -> Result<(), Invalid> {
    if port.get() == 25 {
        return Err(Invalid::new("port_25", "port 25 is for relays"));
    }
    Ok(())
}

fn check_all(all: &AllPartial) -> Result<(), Problems> {
    if all.pool_size.is_some_and(|size| size > 10) {
        return Err(
            Problem::invalid("pool_size", Invalid::new("too_big", "at most 10")).into(),
        );
    }
    Ok(())
}

fn main() {
    let all =
        All::from_map([("PORT", "587"), ("ALL_APIKEY", "k"), ("ALL_UNRELATED", "x")]).unwrap();
    assert_eq!(all.port.get(), 587);
    assert_eq!(all.timeout, Duration::from_secs(30));
    assert_eq!(all.connect_timeout, Duration::from_secs(5));
    assert_eq!(all.pool_size, 0);
    assert_eq!(all.api_key.expose_secret(), "k");
    assert_eq!(all.limits.retries, 10);
    assert!(all.cache.is_empty());
    assert!((all.ratio + 1.5).abs() < f64::EPSILON);

    let keys: Vec<String> = All::schema().entries().into_iter().map(|e| e.key).collect();
    assert_eq!(
        keys,
        [
            "FULL_NAME_PORT",
            "ALL_TIME_OUT",
            "ALL_CONNECTTIMEOUT",
            "ALL_POOLSIZE",
            "ALL_APIKEY",
            "ALL_X_NET_RETRIES",
            "ALL_RATIO"
        ]
    );
    // A pool of 11 fails the struct check next to a port the field check refuses (25: two
    // problems, for the struct check runs on the fields that loaded) and one it accepts (26).
    for (port, problems) in [("25", 2), ("26", 1)] {
        let Err(errors) = All::from_map([
            ("FULL_NAME_PORT", port),
            ("ALL_APIKEY", "k"),
            ("ALL_POOLSIZE", "11"),
        ]) else {
            panic!("port {port}: a pool of 11 is rejected by the struct check")
        };
        assert_eq!(errors.len(), problems, "port {port}: {errors}");
        assert_eq!(
            errors.get("ALL_POOLSIZE").unwrap().message(),
            "at most 10",
            "port {port}"
        );
    }
}
