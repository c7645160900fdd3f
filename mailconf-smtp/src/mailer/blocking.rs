//! [`BlockingMailer`]: the mailer for code without an async runtime.

use std::fmt;
use std::future::Future;

use lettre::Message;
use lettre::message::MessageBuilder;
use tokio::runtime::{Builder, Handle, Runtime};

use super::error::{ComposeError, FailureKind, MailerError, SendError, Stage};
use super::report::SendReport;
use super::{Mailer, Recipient};
use crate::SmtpSettings;

/// [`Mailer`] for synchronous code: the same methods, each blocking until done.
///
/// It runs its own single-threaded tokio runtime. Calling it from inside an async runtime
/// (where blocking would stall other tasks) returns an error of stage [`Stage::Setup`]
/// instead; use [`Mailer`] there.
pub struct BlockingMailer {
    // Dropped before the runtime: pooled sockets are registered with it.
    mailer: Mailer,
    runtime: OwnedRuntime,
}

/// Shuts the runtime down without blocking, so dropping a `BlockingMailer` inside an async
/// context does not panic the way dropping a `Runtime` there does.
struct OwnedRuntime(Option<Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl BlockingMailer {
    /// Builds the mailer and its runtime; see [`Mailer::new`].
    pub fn new(settings: &impl SmtpSettings) -> Result<BlockingMailer, MailerError> {
        let mailer = Mailer::new(settings)?;
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| MailerError::Runtime {
                reason: e.to_string(),
            })?;
        Ok(BlockingMailer {
            mailer,
            runtime: OwnedRuntime(Some(runtime)),
        })
    }

    /// [`Mailer::send`], blocking.
    pub fn send(&self, message: Message) -> Result<SendReport, SendError> {
        self.block_on(self.mailer.send(message))?
    }

    /// [`Mailer::test_connection`], blocking.
    pub fn test_connection(&self) -> Result<(), SendError> {
        self.block_on(self.mailer.test_connection())?
    }

    /// [`Mailer::close_idle`], blocking; does nothing inside an async runtime.
    pub fn close_idle(&self) {
        let _ = self.block_on(self.mailer.close_idle());
    }

    /// [`Mailer::message`].
    pub fn message(&self) -> MessageBuilder {
        self.mailer.message()
    }

    /// [`Mailer::verification_email`].
    pub fn verification_email(
        &self,
        to: impl Recipient,
        app_name: &str,
        link: &str,
    ) -> Result<Message, ComposeError> {
        self.mailer.verification_email(to, app_name, link)
    }

    /// [`Mailer::suppressed`].
    pub fn suppressed(&self) -> Vec<Message> {
        self.mailer.suppressed()
    }

    /// [`Mailer::open_connections`].
    pub fn open_connections(&self) -> usize {
        self.mailer.open_connections()
    }

    fn block_on<F: Future>(&self, future: F) -> Result<F::Output, SendError> {
        // tokio panics when block_on is called inside a runtime; refuse before it can.
        if Handle::try_current().is_ok() {
            return Err(self.setup_error(
                "BlockingMailer was called inside an async runtime, where blocking would stall other tasks",
                mailconf_core::Message::new("hint-blocking-in-async"),
            ));
        }
        match &self.runtime.0 {
            Some(runtime) => Ok(runtime.block_on(future)),
            None => Err(self.setup_error(
                "the runtime is shut down",
                mailconf_core::Message::new("hint-blocking-shut-down"),
            )),
        }
    }

    fn setup_error(&self, message: &str, hint: mailconf_core::Message) -> SendError {
        SendError {
            stage: Stage::Setup,
            kind: FailureKind::Refused,
            server: self.mailer.inner.context.server(),
            message: message.to_owned(),
            attempts: 0,
            hint: Some(super::Hint::new(hint)),
        }
    }
}

impl fmt::Debug for BlockingMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BlockingMailer").field(&self.mailer).finish()
    }
}
