//! The SMTP dialogue, logged through `tracing` at DEBUG with the target
//! `mailconf_smtp::dialogue` (what `MAIL_DEBUG=true` shows in the CLI): the commands as sent
//! (`C:`), the replies as received (`S:`) and what happened in between (`--`).
//!
//! A login is shown as `AUTH PLAIN [credentials redacted]`: its payload, the user name and
//! password in base64, is never written, nor any line of the exchange that follows it. A
//! negative reply is logged by the send once the password is redacted from it, since servers
//! sometimes quote what they were sent.

use std::fmt::Display;

use lettre::transport::smtp::authentication::Mechanism;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::response::Response;
use mailconf_core::Secret;

use super::failure::{Failure, redact};
use crate::{FailureKind, Stage};

/// The target of every dialogue event, to select them alone (`RUST_LOG=mailconf_smtp::dialogue=debug`).
pub(crate) const TARGET: &str = "mailconf_smtp::dialogue";

/// A command as it goes on the wire, without its line end.
pub(crate) fn sent(command: &impl Display) {
    tracing::debug!(target: TARGET, "C: {}", command.to_string().trim_end());
}

/// The login command, without its payload.
pub(crate) fn auth(mechanism: Mechanism) {
    tracing::debug!(target: TARGET, "C: AUTH {mechanism} [credentials redacted]");
}

/// A positive reply, its lines joined.
pub(crate) fn received(reply: &Response) {
    let lines: Vec<&str> = reply.message().collect();
    tracing::debug!(target: TARGET, "S: {} {}", reply.code(), lines.join(" / "));
}

/// Sends `command` and reads its reply, both logged; an error or a negative reply fails
/// `stage`.
pub(crate) async fn exchange(
    conn: &mut AsyncSmtpConnection,
    stage: Stage,
    command: impl Display,
) -> Result<Response, Failure> {
    sent(&command);
    let reply = conn
        .command(command)
        .await
        .map_err(|e| Failure::smtp(stage, &e))?;
    received(&reply);
    Ok(reply)
}

/// Something that is neither a command nor a reply: the connection, TLS, the message body.
pub(crate) fn note(text: impl Display) {
    tracing::debug!(target: TARGET, "-- {text}");
}

/// A failed attempt: the server's negative reply, or what went wrong, the password redacted.
pub(crate) fn failed(failure: &Failure, password: Option<&Secret<String>>) {
    let detail = redact(failure.detail.clone(), password);
    match failure.kind {
        FailureKind::Reply(code) => tracing::debug!(target: TARGET, "S: {code} {detail}"),
        _ => tracing::debug!(target: TARGET, "-- {} failed: {detail}", failure.stage),
    }
}
