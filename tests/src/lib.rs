//! Workspace-level tests live in `tests/tests/` and `tests/ui/`.
//!
//! This library holds the settings structs the runtime tests share, a scripted SMTP peer for
//! fault injection ([`scripted`]), and a struct that uses every attribute, all under the
//! strictest lints CI runs: `cargo clippy --workspace --all-targets -- -D warnings` then proves
//! that the code `#[derive(MailConfig)]` generates is clean under `clippy::pedantic` too.
#![deny(warnings, missing_docs, clippy::pedantic)]

pub mod aiosmtpd;
pub mod chromium;
pub mod dev_settings;
pub mod fixtures;
pub mod jinja2;
pub mod korean;
pub mod mime_check;
pub mod pedantic;
pub mod ports;
pub mod postfix;
pub mod redis;
pub mod redis_cluster;
pub mod scrape;
pub mod scripted;
pub mod skip;
pub mod sweep;
pub mod text;
pub mod vars;
pub mod venv;
pub mod wakeup;
