//! One mail transaction on an open session: MAIL FROM, RCPT TO, DATA.
//!
//! The same steps as lettre's `AsyncSmtpConnection::send`, done one by one so a failure names
//! its stage.

use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;

use super::error::Stage;
use crate::client::dialogue;
use crate::client::{Failure, Progress};

pub(super) async fn transaction(
    conn: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    message: &[u8],
    progress: &mut Progress,
) -> Result<Response, Failure> {
    progress.stage = Stage::MailFrom;
    let parameters = mail_parameters(conn, envelope, message)?;
    let mail = Mail::new(envelope.from().cloned(), parameters);
    dialogue::exchange(conn, Stage::MailFrom, mail).await?;

    progress.stage = Stage::Rcpt;
    for recipient in envelope.to() {
        let rcpt = Rcpt::new(recipient.clone(), Vec::new());
        dialogue::exchange(conn, Stage::Rcpt, rcpt).await?;
    }

    progress.stage = Stage::Data;
    dialogue::exchange(conn, Stage::Data, Data).await?;
    dialogue::note(format_args!("the message, {} bytes, then .", message.len()));
    let reply = conn
        .message(message)
        .await
        .map_err(|e| Failure::smtp(Stage::Data, &e))?;
    dialogue::received(&reply);
    // lettre passes any positive reply; only 2xx means the server took responsibility.
    if u16::from(reply.code()) / 100 != 2 {
        return Err(Failure::client(
            Stage::Data,
            format!(
                "unexpected reply {} to the end of the message",
                reply.code()
            ),
        ));
    }
    Ok(reply)
}

/// SMTPUTF8 (RFC 6531) and 8BITMIME (RFC 6152), exactly as lettre decides them: never send
/// what the server has not said it understands.
fn mail_parameters(
    conn: &AsyncSmtpConnection,
    envelope: &Envelope,
    message: &[u8],
) -> Result<Vec<MailParameter>, Failure> {
    let mut parameters = Vec::new();
    let info = conn.server_info();
    let non_ascii_address = envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .any(|address| !AsRef::<str>::as_ref(address).is_ascii());
    if non_ascii_address {
        if !info.supports_feature(Extension::SmtpUtfEight) {
            return Err(Failure::client(
                Stage::MailFrom,
                "an address has non-ASCII characters but the server does not support SMTPUTF8",
            ));
        }
        parameters.push(MailParameter::SmtpUtfEight);
    }
    if !message.is_ascii() {
        if !info.supports_feature(Extension::EightBitMime) {
            return Err(Failure::client(
                Stage::MailFrom,
                "the message has 8-bit content but the server does not support 8BITMIME",
            ));
        }
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    Ok(parameters)
}
