//! The `mailin` callbacks: credential checks and collecting the message.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mailin::Response;
use mailin::response::{AUTH_OK, INTERNAL_ERROR, INVALID_CREDENTIALS, OK};

use super::ReceivedMessage;
use super::builder::Settings;
use super::mailbox::Mailbox;

/// Connection facts that both the I/O loop and the handler need; `mailin` owns the handler and
/// offers no way to reach it, so they share this instead.
#[derive(Default)]
pub(super) struct LinkState {
    pub(super) tls: bool,
    pub(super) auth_user: Option<String>,
    /// Set by the I/O loop around a replayed AUTH (see `Connection::restore_authentication`):
    /// the user that already proved its password on this connection.
    pub(super) reauth: Option<String>,
    /// Set by the I/O loop while it walks mailin out of an abandoned AUTH exchange: every
    /// credential is refused.
    pub(super) cancel_auth: bool,
    /// The I/O loop's check of the password it took out of an AUTH exchange before mailin saw
    /// it (mailin logs every line it is given): `true` to accept, `false` to refuse.
    pub(super) verdict: Option<bool>,
}

#[derive(Clone, Default)]
pub(super) struct Link(Arc<Mutex<LinkState>>);

impl Link {
    pub(super) fn lock(&self) -> MutexGuard<'_, LinkState> {
        // The state is a few plain fields, valid even if a holder panicked.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Envelope {
    helo: String,
    mail_from: String,
    rcpt_to: Vec<String>,
}

pub(super) struct CatchHandler {
    settings: Arc<Settings>,
    mailbox: Arc<Mailbox>,
    link: Link,
    envelope: Option<Envelope>,
    data: Vec<u8>,
    oversized: bool,
}

impl CatchHandler {
    pub(super) fn new(settings: Arc<Settings>, mailbox: Arc<Mailbox>, link: Link) -> Self {
        Self {
            settings,
            mailbox,
            link,
            envelope: None,
            data: Vec::new(),
            oversized: false,
        }
    }

    fn check_password(&self, user: &str, password: &str) -> Response {
        self.decided(valid_login(&self.settings, user, password), user)
    }

    /// Answers a login whose password was checked already.
    fn decided(&self, valid: bool, user: &str) -> Response {
        if valid {
            self.link.lock().auth_user = Some(user.to_owned());
            AUTH_OK
        } else {
            INVALID_CREDENTIALS
        }
    }
}

// HELO, MAIL and RCPT keep mailin's defaults (accept everything): catching is the point.
impl mailin::Handler for CatchHandler {
    fn data_start(&mut self, domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        // `mailin` hands over the complete envelope here, so MAIL/RCPT need no bookkeeping.
        self.envelope = Some(Envelope {
            helo: domain.to_owned(),
            mail_from: from.to_owned(),
            rcpt_to: to.to_vec(),
        });
        self.data.clear();
        self.oversized = false;
        OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.oversized {
            return Ok(());
        }
        if self.data.len().saturating_add(buf.len()) > self.settings.max_message_size {
            // Keep reading to the final "." so the reply lands where the client expects it, but
            // stop holding the bytes.
            self.oversized = true;
            self.data = Vec::new();
        } else {
            self.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let data = std::mem::take(&mut self.data);
        let envelope = self.envelope.take();
        if std::mem::take(&mut self.oversized) {
            return Response::custom(
                552,
                format!(
                    "5.3.4 Message exceeds the maximum size of {} bytes",
                    self.settings.max_message_size
                ),
            );
        }
        let Some(envelope) = envelope else {
            return INTERNAL_ERROR;
        };
        let (tls, auth_user) = {
            let link = self.link.lock();
            (link.tls, link.auth_user.clone())
        };
        let number = self.mailbox.deliver(ReceivedMessage {
            helo: envelope.helo,
            mail_from: envelope.mail_from,
            rcpt_to: envelope.rcpt_to,
            auth_user,
            tls,
            data,
        });
        Response::custom(250, format!("2.0.0 OK: caught as message {number}"))
    }

    fn auth_plain(
        &mut self,
        authorization_id: &str,
        authentication_id: &str,
        password: &str,
    ) -> Response {
        let (cancel, reauth, verdict) = {
            let mut link = self.link.lock();
            (link.cancel_auth, link.reauth.take(), link.verdict.take())
        };
        if cancel {
            return INVALID_CREDENTIALS;
        }
        if let Some(accepted) = verdict {
            return self.decided(accepted, authentication_id);
        }
        if let Some(user) = reauth {
            return if user == authentication_id {
                AUTH_OK
            } else {
                INVALID_CREDENTIALS
            };
        }
        // Acting as another user is not something a mail catcher should grant.
        if !authorization_id.is_empty() && authorization_id != authentication_id {
            return INVALID_CREDENTIALS;
        }
        self.check_password(authentication_id, password)
    }

    fn auth_login(&mut self, username: &str, password: &str) -> Response {
        let (cancel, verdict) = {
            let mut link = self.link.lock();
            (link.cancel_auth, link.verdict.take())
        };
        if cancel {
            return INVALID_CREDENTIALS;
        }
        if let Some(accepted) = verdict {
            return self.decided(accepted, username);
        }
        self.check_password(username, password)
    }
}

/// Whether `user` exists with this password.
pub(super) fn valid_login(settings: &Settings, user: &str, password: &str) -> bool {
    settings
        .users
        .get(user)
        .is_some_and(|expected| same_secret(expected.as_bytes(), password.as_bytes()))
}

/// Compares without an early exit, so response timing does not reveal how much of a password
/// matched.
fn same_secret(expected: &[u8], given: &[u8]) -> bool {
    expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn same_secret_compares_whole_values() {
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3cret", b"s3creT"));
        assert!(!same_secret(b"s3cret", b"s3cre"));
        assert!(same_secret(b"", b""));
    }
}
