//! The CLI's log on stderr, through `tracing-subscriber`: `RUST_LOG` in its usual syntax, or
//! `MAIL_DEBUG=true` (fastapi-mail's switch, also `1`) for mailconf's own events at DEBUG,
//! the SMTP dialogue among them. Nothing is logged otherwise, so stdout and stderr stay as
//! they were for scripts.
//!
//! The dialogue never holds credentials: mailconf-smtp logs a login as
//! `AUTH PLAIN [credentials redacted]` and redacts the password from the server's replies.

use mailconf_core::{FromValue, Sources};
use tracing_subscriber::EnvFilter;

/// What `MAIL_DEBUG` turns on: mailconf-smtp's events, the dialogue included.
const MAIL_DEBUG_FILTER: &str = "mailconf_smtp=debug";

pub fn init(sources: &Sources) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => match EnvFilter::try_new(&spec) {
            Ok(filter) => filter,
            Err(e) => {
                eprintln!("warning: RUST_LOG is not a valid filter ({e}); logging is off");
                return;
            }
        },
        _ if mail_debug(sources) => EnvFilter::new(MAIL_DEBUG_FILTER),
        _ => return,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// `MAIL_DEBUG` from the environment or the .env file; an invalid value is left to `check`
/// to report and turns nothing on.
fn mail_debug(sources: &Sources) -> bool {
    sources
        .get("MAIL_DEBUG")
        .and_then(|entry| entry.value().ok())
        .and_then(|raw| bool::from_value(raw).ok())
        .unwrap_or(false)
}
