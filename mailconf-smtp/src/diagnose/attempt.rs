//! The steps of a probe: one name lookup, then one attempt per TLS mode tried.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::Credentials as LettreCredentials;
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::Ehlo;
use lettre::transport::smtp::extension::{ClientId, Extension};
use lettre::transport::smtp::response::Response;
use mailconf_core::{Message, Secret};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout};

use super::ehlo::{self, Greeting, ServerReport};
use super::stream::ProbeStream;
use super::{Step, StepName, Target, millis};
use crate::client::{
    Context, Failure, FirstWords, MECHANISMS, client_id, first_words, resolve, tcp_connect,
    tls_parameters,
};
use crate::{Security, Stage};

#[cfg(feature = "oauth2")]
mod xoauth2;

/// How one attempt ended, as far as choosing the next one goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The server spoke SMTP in this mode: implicit TLS, plain text with STARTTLS, or plain
    /// text without it (`None`: plain text, but EHLO did not tell about STARTTLS).
    Spoke(Option<Security>),
    /// No SMTP in this mode: the other mode may work.
    Silent(Silence),
    /// Stopped by something another mode cannot fix (no TCP connection, unusable TLS settings).
    Stopped,
}

/// Why an attempt heard no SMTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Silence {
    /// Nothing came within the step's timeout.
    TimedOut,
    /// The server closed the connection, refused the handshake, or sent something else.
    Refused,
}

/// Why a step failed, as far as the attempt's next move goes (the text is in the step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StepError {
    TimedOut,
    Failed,
}

/// Classifies, redacts and hints errors exactly as a send would.
struct Classifier<'a> {
    cx: Context,
    password: Option<&'a Secret<String>>,
}

impl Classifier<'_> {
    fn classify(&self, failure: Failure) -> Fail {
        let error = failure.into_error(1, &self.cx, self.password);
        Fail {
            detail: quoted(error.message()),
            code: error.code(),
            hint: error.hint_message().cloned(),
        }
    }

    fn smtp(&self, stage: Stage, err: &SmtpError) -> Fail {
        self.classify(Failure::smtp(stage, err))
    }
}

/// A failed step, before it is recorded.
struct Fail {
    detail: Message,
    code: Option<u16>,
    hint: Option<Message>,
}

impl Fail {
    fn new(detail: impl Into<Message>) -> Fail {
        Fail {
            detail: detail.into(),
            code: None,
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<Message>) -> Fail {
        self.hint = Some(hint.into());
        self
    }
}

/// The state of one probe: the steps so far and what the server said.
pub(super) struct Run<'a> {
    target: &'a Target,
    limit: Duration,
    hello: ClientId,
    tls: Result<TlsParameters, String>,
    credentials: Option<LettreCredentials>,
    password: Option<&'a Secret<String>>,
    /// One token source for every attempt of the probe, when the login is XOAUTH2.
    #[cfg(feature = "oauth2")]
    tokens: Option<Result<std::sync::Arc<crate::oauth2::TokenSource>, String>>,
    steps: Vec<Step>,
    server: Option<ServerReport>,
}

impl<'a> Run<'a> {
    pub(super) fn new(target: &'a Target, limit: Duration) -> Run<'a> {
        let credentials = target.credentials.as_ref();
        Run {
            target,
            limit,
            hello: target
                .hello_name
                .clone()
                .map_or_else(ClientId::default, client_id),
            tls: tls_parameters(&target.host, &target.tls).map_err(|e| e.to_string()),
            credentials: credentials.map(|c| {
                LettreCredentials::new(c.username.clone(), c.password.expose_secret().clone())
            }),
            password: credentials.map(|c| &c.password),
            #[cfg(feature = "oauth2")]
            tokens: xoauth2::source(target.oauth2.as_ref(), limit),
            steps: Vec::new(),
            server: None,
        }
    }

    pub(super) fn finish(self) -> (Vec<Step>, Option<ServerReport>) {
        (self.steps, self.server)
    }

    /// Runs `work` under the step timeout and records it with its detail: a catalog message,
    /// or text quoted as it was (a server's reply).
    async fn step<T, D: Into<Message>>(
        &mut self,
        name: StepName,
        mode: Security,
        work: impl Future<Output = Result<(T, D), Fail>>,
    ) -> Result<T, StepError> {
        let started = Instant::now();
        let result = timeout(self.limit, work).await;
        let elapsed = millis(started.elapsed());
        let (ok, detail, code, hint, out) = match result {
            Ok(Ok((value, detail))) => (true, detail.into(), None, None, Ok(value)),
            Ok(Err(fail)) => (
                false,
                fail.detail,
                fail.code,
                fail.hint,
                Err(StepError::Failed),
            ),
            Err(_) => (
                false,
                timed_out(name, self.limit),
                None,
                None,
                Err(StepError::TimedOut),
            ),
        };
        self.steps.push(Step {
            name,
            mode,
            ok,
            millis: elapsed,
            detail: detail.to_string(),
            detail_message: detail,
            code,
            hint: hint.as_ref().map(Message::to_string),
            hint_message: hint,
        });
        out
    }

    /// Records a step that failed before it could start.
    async fn refuse(&mut self, name: StepName, mode: Security, fail: Fail) {
        let _ = self
            .step::<(), Message>(name, mode, async { Err(fail) })
            .await;
    }

    /// The hint context of an attempt in `mode`.
    fn context(&self, mode: Security) -> Context {
        Context {
            host: self.target.host.clone(),
            port: self.target.port.get(),
            security: mode,
            timeout: self.limit,
            validate_certs: self.target.tls.validate_certs,
            ca_file: self.target.tls.ca_file.is_some(),
            login: self.target.credentials.is_some() || self.target.oauth2.is_some(),
            username: match &self.target.oauth2 {
                Some(login) => Some(login.mailbox.clone()),
                None => self.target.credentials.as_ref().map(|c| c.username.clone()),
            },
            oauth2: self.target.oauth2.as_ref().map(|o| o.grant.name()),
            provider: Context::provider_of(self.target.provider, &self.target.host),
        }
    }

    /// Turns errors of an attempt in `mode` into recorded failures; owned, so that a step's
    /// work can use it while the run records the step.
    fn classifier(&self, mode: Security) -> Classifier<'a> {
        Classifier {
            cx: self.context(mode),
            password: self.password,
        }
    }

    pub(super) async fn resolve(&mut self) -> Option<Vec<SocketAddr>> {
        let host = self.target.host.to_string();
        let port = self.target.port.get();
        let mode = self.target.security.unwrap_or(Security::ImplicitTls);
        let classifier = self.classifier(mode);
        let literal = self.target.host.ip().is_some();
        let pinned = self.target.addresses.as_deref();
        let lookup = async {
            if let Some(ips) = pinned {
                if ips.is_empty() {
                    let failure = Failure::dns(format!("{host}: no address was given"));
                    return Err(classifier.classify(failure));
                }
                let addrs: Vec<SocketAddr> =
                    ips.iter().map(|ip| SocketAddr::new(*ip, port)).collect();
                let list: Vec<String> = ips.iter().map(ToString::to_string).collect();
                let detail = Message::new("probe-detail-given")
                    .arg("host", host.as_str())
                    .arg("addresses", list.join(", "));
                return Ok((addrs, detail));
            }
            let addrs = resolve(&host, port)
                .await
                .map_err(|f| classifier.classify(f))?;
            let detail = if literal {
                Message::new("probe-detail-literal").arg("host", host.as_str())
            } else {
                let list: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
                Message::new("probe-detail-resolved")
                    .arg("host", host.as_str())
                    .arg("addresses", list.join(", "))
            };
            Ok((addrs, detail))
        };
        self.step(StepName::Dns, mode, lookup).await.ok()
    }

    /// One session in `mode`: TCP, TLS (implicit), greeting, EHLO, STARTTLS (plain text),
    /// login, QUIT. `Security::Plain` stays in plain text as a send would.
    pub(super) async fn attempt(&mut self, addrs: &[SocketAddr], mode: Security) -> Outcome {
        match self.session(addrs, mode).await {
            Ok(outcome) | Err(outcome) => outcome,
        }
    }

    /// The steps of [`attempt`](Self::attempt), in order; each returns the attempt's outcome as
    /// `Err` when the session ends there.
    async fn session(&mut self, addrs: &[SocketAddr], mode: Security) -> Result<Outcome, Outcome> {
        let classifier = self.classifier(mode);
        let tls = self.tls_for(mode).await?;
        let (tcp, addr) = self.connect(addrs, mode, &classifier).await?;
        let mut stream = ProbeStream::new(tcp);
        if let (Security::ImplicitTls, Some(tls)) = (mode, &tls) {
            self.handshake(&mut stream, tls, mode, &classifier).await?;
        }
        let (bytes, greeting) = self.greet(&mut stream, addr, mode, &classifier).await?;
        stream.replay(bytes);
        let (mut conn, server) = self
            .ehlo(stream, ServerReport::new(&greeting), mode, &classifier)
            .await?;
        let spoken = match mode {
            Security::ImplicitTls => Security::ImplicitTls,
            _ if server.starttls => Security::StartTls,
            _ => Security::Plain,
        };
        let mut encrypted = mode == Security::ImplicitTls;
        if let (Security::StartTls, Some(tls)) = (mode, tls) {
            self.starttls(&mut conn, server, tls, &classifier)
                .await
                .map_err(|()| Outcome::Spoke(Some(spoken)))?;
            encrypted = true;
        }
        self.login(&mut conn, mode, encrypted).await;
        self.quit(conn, mode, &classifier).await;
        Ok(Outcome::Spoke(Some(spoken)))
    }

    /// The TLS parameters a session in `mode` needs (`None` in plain text); a CA file that
    /// cannot be used stops the attempt before it connects.
    async fn tls_for(&mut self, mode: Security) -> Result<Option<TlsParameters>, Outcome> {
        match (&self.tls, mode) {
            (Ok(tls), _) => Ok(Some(tls.clone())),
            (Err(_), Security::Plain) => Ok(None),
            (Err(reason), _) => {
                let fail = Fail::new(reason.clone()).hint(Message::new("probe-fix-ca-file"));
                let name = if mode == Security::ImplicitTls {
                    StepName::Tls
                } else {
                    StepName::StartTls
                };
                self.refuse(name, mode, fail).await;
                Err(Outcome::Stopped)
            }
        }
    }

    async fn connect(
        &mut self,
        addrs: &[SocketAddr],
        mode: Security,
        classifier: &Classifier<'_>,
    ) -> Result<(TcpStream, SocketAddr), Outcome> {
        let connect = async {
            match tcp_connect(addrs).await {
                Ok((tcp, addr)) => {
                    let detail =
                        Message::new("probe-detail-connected").arg("address", addr.to_string());
                    Ok(((tcp, addr), detail))
                }
                Err(failure) => Err(classifier.classify(failure)),
            }
        };
        self.step(StepName::Tcp, mode, connect)
            .await
            .map_err(|_| Outcome::Stopped)
    }

    /// The handshake right after connecting (implicit TLS).
    async fn handshake(
        &mut self,
        stream: &mut ProbeStream,
        tls: &TlsParameters,
        mode: Security,
        classifier: &Classifier<'_>,
    ) -> Result<(), Outcome> {
        let handshake = async {
            match stream.handshake(tls.clone()).await {
                Ok(()) => Ok(((), Message::new("probe-detail-tls"))),
                Err(e) => Err(classifier.smtp(Stage::Tls, &e)),
            }
        };
        match self.step(StepName::Tls, mode, handshake).await {
            Ok(()) => Ok(()),
            Err(StepError::TimedOut) => Err(Outcome::Silent(Silence::TimedOut)),
            Err(StepError::Failed) if self.last_failure_speaks_tls() => {
                Err(Outcome::Spoke(Some(mode)))
            }
            Err(StepError::Failed) => Err(Outcome::Silent(Silence::Refused)),
        }
    }

    /// The server's greeting: its bytes (for lettre) and the reply.
    async fn greet(
        &mut self,
        stream: &mut ProbeStream,
        addr: SocketAddr,
        mode: Security,
        classifier: &Classifier<'_>,
    ) -> Result<(Vec<u8>, Response), Outcome> {
        let host = self.target.host.to_string();
        let greet = async {
            if mode == Security::ImplicitTls {
                return read_greeting(stream).await;
            }
            // A port that stays silent in plain text may be waiting for TLS: found out in
            // seconds, not at the end of the step's timeout.
            let mut heard = None;
            let first = async { heard = Some(read_greeting(stream).await) };
            match first_words(first, addr, &host).await {
                FirstWords::WaitsForTls => Err(classifier.classify(Failure::waits_for_tls(addr))),
                FirstWords::Spoke => heard
                    .unwrap_or_else(|| Err(Fail::new(Message::new("probe-detail-no-greeting")))),
            }
        };
        match self.step(StepName::Greeting, mode, greet).await {
            Ok(greeting) => Ok(greeting),
            Err(StepError::TimedOut) => Err(Outcome::Silent(Silence::TimedOut)),
            Err(StepError::Failed) if self.steps.last().is_some_and(|s| s.code.is_some()) => {
                // A negative greeting (554...) is SMTP in this mode, just unwelcoming.
                Err(Outcome::Spoke(plain_unknown(mode)))
            }
            Err(StepError::Failed) => Err(Outcome::Silent(Silence::Refused)),
        }
    }

    /// lettre sends its own EHLO and keeps only what it acts on; a second one gives the whole
    /// list (SIZE, PIPELINING...).
    async fn ehlo(
        &mut self,
        stream: ProbeStream,
        mut server: ServerReport,
        mode: Security,
        classifier: &Classifier<'_>,
    ) -> Result<(AsyncSmtpConnection, ServerReport), Outcome> {
        let hello = self.hello.clone();
        let encrypted = mode == Security::ImplicitTls;
        let ehlo = async {
            let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(stream), &hello)
                .await
                .map_err(|e| classifier.smtp(Stage::Connect, &e))?;
            let reply = conn
                .command(Ehlo::new(hello.clone()))
                .await
                .map_err(|e| classifier.smtp(Stage::Connect, &e))?;
            server.ehlo(&reply, encrypted);
            let detail = Message::new("probe-detail-offers")
                .arg("server", server.name.as_str())
                .arg("extensions", server.summary());
            Ok((conn, detail))
        };
        let ehlo = self.step(StepName::Ehlo, mode, ehlo).await;
        self.server = Some(server.clone());
        match ehlo {
            Ok(conn) => Ok((conn, server)),
            Err(_) => Err(Outcome::Spoke(plain_unknown(mode))),
        }
    }

    /// `STARTTLS`, the handshake and `EHLO` again; refused, never skipped, when the server does
    /// not offer it. `Err` when the session ends here.
    async fn starttls(
        &mut self,
        conn: &mut AsyncSmtpConnection,
        mut server: ServerReport,
        tls: TlsParameters,
        classifier: &Classifier<'_>,
    ) -> Result<(), ()> {
        let mode = Security::StartTls;
        if !conn.server_info().supports_feature(Extension::StartTls) {
            let detail =
                Message::new("probe-detail-no-starttls").arg("port", self.target.port.get());
            let hint = Message::new("probe-never-plain").arg("ports", Security::usual_tls_ports());
            self.refuse(StepName::StartTls, mode, Fail::new(detail).hint(hint))
                .await;
            return Err(());
        }
        let hello = self.hello.clone();
        let starttls = async {
            conn.starttls(tls, &hello)
                .await
                .map_err(|e| classifier.smtp(Stage::Tls, &e))?;
            let reply = conn
                .command(Ehlo::new(hello.clone()))
                .await
                .map_err(|e| classifier.smtp(Stage::Tls, &e))?;
            server.ehlo(&reply, true);
            let detail = Message::new("probe-detail-starttls").arg("extensions", server.summary());
            Ok(((), detail))
        };
        self.step(StepName::StartTls, mode, starttls)
            .await
            .map_err(|_| ())?;
        self.server = Some(server);
        Ok(())
    }

    async fn quit(
        &mut self,
        mut conn: AsyncSmtpConnection,
        mode: Security,
        classifier: &Classifier<'_>,
    ) {
        let quit = async {
            match conn.quit().await {
                Ok(reply) => Ok(((), quoted(reply_text(&reply)))),
                Err(e) => Err(classifier.smtp(Stage::Connect, &e)),
            }
        };
        let _ = self.step(StepName::Quit, mode, quit).await;
    }

    async fn login(&mut self, conn: &mut AsyncSmtpConnection, mode: Security, encrypted: bool) {
        if self.target.oauth2.is_some() {
            #[cfg(feature = "oauth2")]
            self.xoauth2(conn, mode, encrypted).await;
            #[cfg(not(feature = "oauth2"))]
            self.refuse(
                StepName::OAuth2Token,
                mode,
                Fail::new(Message::new("probe-detail-no-oauth2-feature")),
            )
            .await;
            return;
        }
        let Some(credentials) = self.credentials.clone() else {
            return;
        };
        let user = self
            .target
            .credentials
            .as_ref()
            .map(|c| c.username.clone())
            .unwrap_or_default();
        if !encrypted && !self.target.plaintext_login {
            let fail = Fail::new(Message::new("probe-detail-password-unencrypted"))
                .hint(Message::new("probe-use-tls-to-login"));
            self.refuse(StepName::Login, mode, fail).await;
            return;
        }
        let classifier = self.classifier(mode);
        let mechanism = conn.server_info().get_auth_mechanism(MECHANISMS);
        let starttls = conn.server_info().supports_feature(Extension::StartTls);
        let login =
            async {
                match conn.auth(MECHANISMS, &credentials).await {
                    Ok(_) => {
                        let detail = match mechanism {
                            Some(m) => Message::new("probe-detail-logged-in-with")
                                .arg("mechanism", m.to_string()),
                            None => Message::new("probe-detail-logged-in"),
                        };
                        Ok(((), detail.arg("user", user.as_str())))
                    }
                    Err(e) => Err(classifier
                        .classify(Failure::smtp(Stage::Auth, &e).offered_starttls(starttls))),
                }
            };
        let _ = self.step(StepName::Login, mode, login).await;
    }

    /// A failed handshake that got as far as a certificate or an alert came from a TLS server:
    /// the mode is right and the problem is the certificate or the TLS settings.
    fn last_failure_speaks_tls(&self) -> bool {
        self.steps.last().is_some_and(|s| {
            let detail = s.detail.to_ascii_lowercase();
            detail.contains("certificate") || detail.contains("alert")
        })
    }
}

fn timed_out(name: StepName, limit: Duration) -> Message {
    let id = match name {
        StepName::Dns => "probe-timeout-dns",
        StepName::Tcp => "probe-timeout-tcp",
        StepName::Tls => "probe-timeout-tls",
        StepName::Greeting => "probe-timeout-greeting",
        _ => "probe-timeout-other",
    };
    Message::new(id).arg("limit", format!("{limit:?}"))
}

/// Plain text whose STARTTLS support is unknown, or implicit TLS.
fn plain_unknown(mode: Security) -> Option<Security> {
    (mode == Security::ImplicitTls).then_some(mode)
}

/// Reads the greeting, keeping the bytes for lettre.
async fn read_greeting(stream: &mut ProbeStream) -> Result<((Vec<u8>, Response), Message), Fail> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|e| {
            Fail::new(
                Message::new("probe-detail-failed-before-greeting").arg("reason", e.to_string()),
            )
        })?;
        if n == 0 {
            return Err(Fail::new(Message::new(
                "probe-detail-closed-before-greeting",
            )));
        }
        bytes.extend_from_slice(&chunk[..n]);
        match ehlo::greeting(&bytes) {
            Greeting::Partial => {}
            Greeting::NotSmtp => {
                return Err(Fail::new(Message::new("probe-detail-not-smtp")));
            }
            Greeting::Complete(reply) if reply.is_positive() => {
                let text = quoted(reply_text(&reply));
                return Ok(((bytes, reply), text));
            }
            Greeting::Complete(reply) => {
                return Err(Fail {
                    detail: Message::new("probe-detail-session-refused")
                        .arg("reply", reply_text(&reply)),
                    code: Some(u16::from(reply.code())),
                    hint: Some(Message::new("probe-session-refused")),
                });
            }
        }
    }
}

/// What a server or the network said, quoted as it was said, in every language.
fn quoted(text: impl Into<String>) -> Message {
    Message::new("probe-detail-quoted").arg("text", text.into())
}

fn reply_text(reply: &Response) -> String {
    let lines: Vec<&str> = reply.message().collect();
    format!("{} {}", reply.code(), lines.join(" "))
}
