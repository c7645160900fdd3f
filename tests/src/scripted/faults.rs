//! Fault scenarios, measured: one send through a `Mailer` against a peer that misbehaves as a
//! [`Scenario`] says, with the [`Outcome`] of that send and the checks every fault test shares.

use std::time::Duration;

use mailconf_smtp::{Mailer, Security, SendError, SendReport, Stage};

use super::client::{PeerSettings, USER, message, timed};
use super::peer::{Received, ScriptedPeer};
use super::script::{Act, Script, Step};

/// `TIMEOUT` of the fault scenarios.
pub const FAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// The most a send may take beyond [`FAULT_TIMEOUT`] (scheduling on a loaded machine).
pub const SLACK: Duration = Duration::from_millis(800);
/// The password of the scenarios that log in; the peer checks it.
const PASSWORD: &str = "Fault-Pa55word";

/// What the peer advertises after `EHLO` in the scenarios.
pub const PLAIN: &[&str] = &["8BITMIME"];
/// [`PLAIN`] and `STARTTLS`.
pub const WITH_STARTTLS: &[&str] = &["8BITMIME", "STARTTLS"];
/// [`PLAIN`] and `AUTH PLAIN LOGIN`.
pub const WITH_AUTH: &[&str] = &["8BITMIME", "AUTH PLAIN LOGIN"];

/// A fault, the mode the client uses, and what the server advertises.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// How the client connects.
    pub security: Security,
    /// What the peer advertises after `EHLO`.
    pub extensions: &'static [&'static str],
    /// Whether the client logs in.
    pub login: bool,
    /// Where the peer departs from a well-behaved server.
    pub step: Step,
    /// What it does there.
    pub act: Act,
    /// Whether it does so on the first connection only (the first attempt of the send).
    pub once: bool,
}

impl Scenario {
    /// The peer does `act` at `step` on every attempt; the client speaks plain text and does
    /// not log in; the peer advertises [`PLAIN`].
    #[must_use]
    pub const fn at(step: Step, act: Act) -> Scenario {
        Scenario {
            security: Security::Plain,
            extensions: PLAIN,
            login: false,
            step,
            act,
            once: false,
        }
    }

    /// The peer advertises STARTTLS and does `act` when the client, which will log in, asks
    /// for it.
    #[must_use]
    pub const fn starttls(act: Act) -> Scenario {
        Scenario::at(Step::StartTls, act).login(Security::StartTls, WITH_STARTTLS)
    }

    /// The same, with the fault on the first attempt only.
    #[must_use]
    pub const fn once(mut self) -> Scenario {
        self.once = true;
        self
    }

    /// The same, with the client connecting with `security` and logging in, and the peer
    /// advertising `extensions`.
    #[must_use]
    pub const fn login(
        mut self,
        security: Security,
        extensions: &'static [&'static str],
    ) -> Scenario {
        self.security = security;
        self.extensions = extensions;
        self.login = true;
        self
    }

    /// The peer's script: the fault, and the login it expects.
    #[must_use]
    pub fn script(&self) -> Script {
        let script = Script::new(self.extensions).login(USER, PASSWORD);
        if self.once {
            script.once_at(self.step, self.act.clone())
        } else {
            script.at(self.step, self.act.clone())
        }
    }

    /// Starts a peer that plays this scenario.
    pub async fn peer(&self) -> ScriptedPeer {
        ScriptedPeer::start(self.script()).await
    }

    /// Settings for a `Mailer` against `peer`: [`FAULT_TIMEOUT`], a pool of one, and the
    /// scenario's security and login.
    #[must_use]
    pub fn settings(&self, peer: &ScriptedPeer) -> PeerSettings {
        let settings = PeerSettings::new(peer.port(), self.security).timeout(FAULT_TIMEOUT);
        if self.login {
            settings.login(PASSWORD)
        } else {
            settings
        }
    }

    /// Sends one message through a fresh peer and `Mailer`, measures it, and checks what every
    /// scenario must satisfy (see [`Outcome::check`]).
    ///
    /// # Panics
    /// When a check fails, or the send hangs.
    pub async fn run(&self) -> Outcome {
        let peer = self.peer().await;
        let mailer = Mailer::new(&self.settings(&peer)).unwrap();
        let message = message(&mailer, "Fault Test");
        let message_id = message
            .headers()
            .get_raw("Message-ID")
            .expect("Mailer::message sets a Message-ID")
            .to_owned();
        let (result, elapsed) = timed(Box::pin(mailer.send(message))).await;
        // Let the peer record a message whose connection the client just dropped.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let outcome = Outcome {
            result,
            elapsed,
            connections: peer.connections(),
            received: peer.received(),
            commands: peer.commands(),
            message_id,
        };
        outcome.check(peer.delivered());
        outcome
    }
}

/// What one send did.
#[derive(Debug)]
pub struct Outcome {
    /// What `send` returned.
    pub result: Result<SendReport, SendError>,
    /// How long `send` took.
    pub elapsed: Duration,
    /// The connections the peer accepted.
    pub connections: usize,
    /// Every copy the peer read in full.
    pub received: Vec<Received>,
    /// Every command line the peer read, in order, and what it found where it expected a TLS
    /// handshake ([`CLIENT_HELLO`](super::CLIENT_HELLO)).
    pub commands: Vec<String>,
    /// The `Message-ID` the mailer gave the message.
    pub message_id: String,
}

impl Outcome {
    /// The error of a send that had to fail.
    ///
    /// # Panics
    /// When the send succeeded.
    #[must_use]
    pub fn err(&self) -> &SendError {
        self.result.as_ref().expect_err("the send should fail")
    }

    /// Checks that the send timed out: one attempt, at `stage`, which took at least
    /// [`FAULT_TIMEOUT`] (and, as for every scenario, less than [`SLACK`] more).
    ///
    /// # Panics
    /// When it did not.
    pub fn assert_timed_out(&self, stage: Stage) {
        let err = self.err();
        assert!(err.is_timeout(), "{err}");
        assert_eq!(err.stage(), stage, "{err}");
        assert_eq!(err.attempts(), 1, "a timeout is not retried");
        assert!(self.elapsed >= FAULT_TIMEOUT, "{:?}", self.elapsed);
    }

    /// The report of a send that had to succeed.
    ///
    /// # Panics
    /// When the send failed.
    #[must_use]
    pub fn report(&self) -> &SendReport {
        self.result.as_ref().expect("the send should succeed")
    }

    /// What every scenario must satisfy: `send` succeeds exactly when the peer answered `250`
    /// to one copy, and then reports that `250` and the message's `Message-ID`; and the call
    /// ends within the timeout (plus [`SLACK`]), whatever its outcome.
    ///
    /// # Panics
    /// When one of them does not hold.
    pub fn check(&self, delivered: usize) {
        assert_eq!(self.result.is_ok(), delivered == 1, "{self:?}");
        if let Ok(report) = &self.result {
            assert_eq!(report.code(), 250);
            assert_eq!(report.message_id(), Some(self.message_id.as_str()));
        }
        assert!(
            self.elapsed < FAULT_TIMEOUT + SLACK,
            "took {:?}",
            self.elapsed
        );
    }

    fn notes(&self) -> String {
        let accepted = self.received.iter().filter(|r| r.acknowledged).count();
        format!(
            "{} connections; server read {} copies, answered 250 to {accepted}",
            self.connections,
            self.received.len()
        )
    }

    /// `stage, code, attempts, time` as a row of the table in docs/RELIABILITY.md.
    #[must_use]
    pub fn row(&self, name: &str) -> String {
        let ms = self.elapsed.as_millis();
        match &self.result {
            Ok(report) => format!(
                "| {name} | sent | {} | {} | {ms} ms | {} |",
                report.code(),
                report.attempts(),
                self.notes()
            ),
            Err(err) => format!(
                "| {name} | {}{} | {} | {} | {ms} ms | {}{} |",
                err.stage(),
                if err.is_timeout() { " (timeout)" } else { "" },
                err.code().map_or("-".to_owned(), |c| c.to_string()),
                err.attempts(),
                if err.is_permanent() {
                    "permanent; "
                } else {
                    ""
                },
                self.notes()
            ),
        }
    }
}
