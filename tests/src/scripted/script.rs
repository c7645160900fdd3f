//! What the peer says: a [`Script`] of replies per [`Step`] of the conversation and per
//! connection, and the [`Act`]s it can put in place of a normal reply.

use std::borrow::Cow;
use std::sync::Arc;

/// A step of the SMTP conversation at which the peer may misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The greeting, sent as soon as a connection is accepted (default `220`).
    Greeting,
    /// The reply to `EHLO` (default `250` with the script's extensions).
    Ehlo,
    /// The reply to `STARTTLS` (default `502`: the peer speaks no TLS).
    StartTls,
    /// The final reply to `AUTH`, after the peer has read the credentials (default `235`
    /// when they match the script's login, or when the script sets none; `535` otherwise).
    Auth,
    /// The reply to `MAIL FROM` (default `250`).
    Mail,
    /// The reply to `RCPT TO` (default `250`).
    Rcpt,
    /// The reply to `DATA` (default `354`, after which the peer reads the message).
    Data,
    /// The reply to the final `.` of the message (default `250`).
    End,
}

/// What the peer does at a step instead of its default reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    /// Reply with this code and text; a text of several lines (`\n`) is a multi-line reply.
    Reply(u16, Cow<'static, str>),
    /// Reply, then close the connection.
    ReplyThenClose(u16, Cow<'static, str>),
    /// Close the connection without replying.
    Close,
    /// Keep the connection open and never reply.
    Stall,
    /// Read what the client sends first (it must be a TLS `ClientHello`), then never reply.
    ReadHelloThenStall,
    /// Send a line that is neither an SMTP reply nor TLS, then never reply.
    Garbage,
    /// At [`Step::StartTls`]: reply `220`, read the `ClientHello`, then never reply.
    ReadyThenStall,
    /// At [`Step::StartTls`]: reply `220`, then send bytes that are not TLS.
    ReadyThenGarbage,
    /// At [`Step::Data`]: reply `354`, read two lines of the message, close. Elsewhere it
    /// closes at once, like [`Act::Close`].
    CloseMidMessage,
    /// At [`Step::End`]: the whole message has been read; close without replying. Elsewhere
    /// it closes at once, like [`Act::Close`].
    CloseAfterDot,
}

impl Act {
    /// [`Act::Reply`] with `code` and `text` (`Act::Reply(code, text.into())` for a text made
    /// at run time).
    #[must_use]
    pub const fn reply(code: u16, text: &'static str) -> Act {
        Act::Reply(code, Cow::Borrowed(text))
    }

    /// [`Act::ReplyThenClose`] with `code` and `text`.
    #[must_use]
    pub const fn reply_then_close(code: u16, text: &'static str) -> Act {
        Act::ReplyThenClose(code, Cow::Borrowed(text))
    }

    /// Whether the peer accepts the message with this act at [`Step::End`].
    pub(crate) fn accepts(&self) -> bool {
        matches!(self, Act::Reply(250, _) | Act::ReplyThenClose(250, _))
    }
}

/// Decides the act at a [`Step`] of connection number `n` (counted from 0); `None` keeps the
/// default reply.
pub type Policy = dyn Fn(usize, Step) -> Option<Act> + Send + Sync;

/// What the peer advertises, which login it accepts, and where it departs from a well-behaved
/// server.
#[derive(Clone)]
pub struct Script {
    extensions: Vec<String>,
    login: Option<(String, String)>,
    policy: Arc<Policy>,
}

impl Script {
    /// A well-behaved server that advertises `extensions` after `EHLO` (for example
    /// `"8BITMIME"`, `"STARTTLS"`, `"AUTH PLAIN LOGIN"`) and accepts any login.
    #[must_use]
    pub fn new(extensions: &[&str]) -> Script {
        Script {
            extensions: extensions.iter().map(|&e| e.to_owned()).collect(),
            login: None,
            policy: Arc::new(|_, _| None),
        }
    }

    /// Departs from the defaults wherever `policy` returns an act. This, [`Script::at`] and
    /// [`Script::once_at`] each replace the departures set before.
    #[must_use]
    pub fn on(
        mut self,
        policy: impl Fn(usize, Step) -> Option<Act> + Send + Sync + 'static,
    ) -> Script {
        self.policy = Arc::new(policy);
        self
    }

    /// Departs from the defaults at `step` with `act`, on every connection.
    #[must_use]
    pub fn at(self, step: Step, act: Act) -> Script {
        self.on(move |_, s| (s == step).then(|| act.clone()))
    }

    /// Departs from the defaults at `step` with `act` on the first connection only (so the
    /// first attempt of a send), and behaves on the others.
    #[must_use]
    pub fn once_at(self, step: Step, act: Act) -> Script {
        self.on(move |n, s| (n == 0 && s == step).then(|| act.clone()))
    }

    /// Accepts only this login at `AUTH`: anything else gets `535` by default.
    #[must_use]
    pub fn login(mut self, user: &str, password: &str) -> Script {
        self.login = Some((user.to_owned(), password.to_owned()));
        self
    }

    /// The act at `step` of connection `n`: the policy's, or `default`.
    pub(crate) fn act(&self, n: usize, step: Step, default: Act) -> Act {
        (self.policy)(n, step).unwrap_or(default)
    }

    /// The default reply to `EHLO`.
    pub(crate) fn ehlo(&self) -> Act {
        let mut lines = vec!["scripted"];
        lines.extend(self.extensions.iter().map(String::as_str));
        lines.push("OK");
        Act::Reply(250, lines.join("\n").into())
    }

    /// Whether the client logged in as the script expects.
    pub(crate) fn accepts_login(&self, user: &str, password: &str) -> bool {
        self.login
            .as_ref()
            .is_none_or(|(u, p)| u == user && p == password)
    }
}
