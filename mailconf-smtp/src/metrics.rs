//! The metrics a [`Mailer`](crate::Mailer) records, through the `metrics` facade: install any
//! exporter (Prometheus, StatsD, OpenTelemetry…) and they appear; without one they cost a
//! no-op call. Recorded only with this crate's `metrics` feature; without it the names below
//! stay, and nothing is recorded. Labels are bounded sets (a stage name), never an address, subject or secret.
//! docs/OPERATIONS.md says what each means and what to alert on.

use std::time::Duration;

#[cfg(feature = "metrics")]
use metrics::{counter, gauge, histogram};

use crate::Stage;

/// Messages the server accepted (`250` to the end of the data).
pub const SENT: &str = "mailconf_messages_sent_total";
/// Messages given up on, labelled `stage` (`setup`, `connect`, `tls`, `auth`, `mail_from`,
/// `rcpt`, `data`) and `kind` (`permanent`, `temporary`, `timeout`).
pub const FAILED: &str = "mailconf_messages_failed_total";
/// Attempts after a temporary failure.
pub const RETRIED: &str = "mailconf_send_retries_total";
/// Messages recorded instead of sent (`SUPPRESS_SEND`).
pub const SUPPRESSED: &str = "mailconf_messages_suppressed_total";
/// Seconds from the rate limit letting a message go to the server's final answer, retries
/// included (histogram).
pub const SEND_SECONDS: &str = "mailconf_send_duration_seconds";
/// Seconds a message waited for the rate limit (histogram).
pub const RATE_LIMIT_WAIT_SECONDS: &str = "mailconf_rate_limit_wait_seconds";
/// Failed calls to the shared limit's Redis.
pub const RATE_LIMIT_STORE_ERRORS: &str = "mailconf_rate_limit_store_errors_total";
/// 1 while the shared limit's Redis answers, 0 while it does not.
pub const RATE_LIMIT_STORE_UP: &str = "mailconf_rate_limit_store_up";
/// SMTP sessions open, idle or in use.
pub const POOL_OPEN: &str = "mailconf_pool_connections_open";
/// SMTP sessions carrying a message right now.
pub const POOL_IN_USE: &str = "mailconf_pool_connections_in_use";

/// Histogram buckets (seconds) that suit the `*_seconds` metrics, for exporters that ask for
/// them (Prometheus): from a loopback send to a slow provider, and rate-limit waits up to a
/// minute. `mailconf send-test --metrics` and the settings-page example use them.
pub const SECONDS_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0,
];

/// A stable, bounded label value for a stage (`Stage`'s `Display` is for people).
pub fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Setup => "setup",
        Stage::Connect => "connect",
        Stage::OAuth2Token => "oauth2_token",
        Stage::Tls => "tls",
        Stage::Auth => "auth",
        Stage::MailFrom => "mail_from",
        Stage::Rcpt => "rcpt",
        Stage::Data => "data",
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn sent(took: Duration) {
    #[cfg(feature = "metrics")]
    {
        counter!(SENT).increment(1);
        histogram!(SEND_SECONDS).record(took.as_secs_f64());
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn failed(stage: Stage, permanent: bool, timed_out: bool, took: Option<Duration>) {
    #[cfg(feature = "metrics")]
    {
        let kind = match (timed_out, permanent) {
            (true, _) => "timeout",
            (false, true) => "permanent",
            (false, false) => "temporary",
        };
        counter!(FAILED, "stage" => stage_label(stage), "kind" => kind).increment(1);
        if let Some(took) = took {
            histogram!(SEND_SECONDS).record(took.as_secs_f64());
        }
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn retried() {
    #[cfg(feature = "metrics")]
    {
        counter!(RETRIED).increment(1);
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn suppressed() {
    #[cfg(feature = "metrics")]
    {
        counter!(SUPPRESSED).increment(1);
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn rate_limit_waited(waited: Duration) {
    #[cfg(feature = "metrics")]
    {
        histogram!(RATE_LIMIT_WAIT_SECONDS).record(waited.as_secs_f64());
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
#[cfg(feature = "redis")]
pub(crate) fn rate_limit_store_error() {
    #[cfg(feature = "metrics")]
    {
        counter!(RATE_LIMIT_STORE_ERRORS).increment(1);
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
#[cfg(feature = "redis")]
pub(crate) fn rate_limit_store_up(up: bool) {
    #[cfg(feature = "metrics")]
    {
        gauge!(RATE_LIMIT_STORE_UP).set(if up { 1.0 } else { 0.0 });
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn pool_open(delta: f64) {
    #[cfg(feature = "metrics")]
    {
        gauge!(POOL_OPEN).increment(delta);
    }
}

#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn pool_in_use(delta: f64) {
    #[cfg(feature = "metrics")]
    {
        gauge!(POOL_IN_USE).increment(delta);
    }
}
