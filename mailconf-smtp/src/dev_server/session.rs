//! One client connection: line I/O, TLS, the AUTH/TLS policy, and `mailin` for the protocol.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mailin::{Action, AuthMechanism, Response, Session, SessionBuilder};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::server::TlsStream;

use super::DevTls;
use super::builder::Settings;
use super::handler::{CatchHandler, Link, valid_login};
use super::mailbox::Mailbox;

/// The name in the greeting; also what the server certificate is issued to.
const SERVER_NAME: &str = "localhost";
/// RFC 4954 lets an AUTH line reach 12288 octets; anything much longer is not SMTP.
const MAX_COMMAND_LINE: usize = 16 * 1024;
/// RFC 5321 says 1000 octets, but sloppy clients exceed it; this still bounds memory.
const MAX_DATA_LINE: usize = 64 * 1024;

pub(super) async fn serve(
    tcp: TcpStream,
    peer: SocketAddr,
    settings: Arc<Settings>,
    mailbox: Arc<Mailbox>,
) -> io::Result<()> {
    // SMTP is lock-step request/response; Nagle would only add latency.
    let _ = tcp.set_nodelay(true);
    let link = Link::default();
    let mut builder = SessionBuilder::new(SERVER_NAME);
    if settings.starttls_offered {
        builder.enable_start_tls();
    }
    if settings.auth_enabled() {
        builder
            .enable_auth(AuthMechanism::Plain)
            .enable_auth(AuthMechanism::Login);
        if settings.allow_auth_without_tls {
            builder.insecure_enable_plaintext_auth();
        }
    }
    let handler = CatchHandler::new(Arc::clone(&settings), mailbox, link.clone());
    let mut connection = Connection {
        session: builder.build(peer.ip(), handler),
        settings,
        link,
        mode: LineMode::Command,
        sasl: Sasl::None,
    };

    if connection.settings.tls == DevTls::Implicit {
        let tls = connection.start_tls(tcp).await?;
        connection.run(tls, true).await?;
        return Ok(());
    }
    if let Outcome::UpgradeTls(tcp) = connection.run(tcp, true).await? {
        let tls = connection.start_tls(tcp).await?;
        // The policy refuses a second STARTTLS, so this run can only end in a close.
        connection.run(tls, false).await?;
    }
    Ok(())
}

/// How the next line from the client is to be read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineMode {
    Command,
    /// After `354`, until the reply to the final ".".
    Data,
    /// After `334`, the next line is a SASL response, not a command.
    AuthResponse,
}

enum Outcome<S> {
    Closed,
    /// STARTTLS was accepted; the plain stream is handed back for the handshake.
    UpgradeTls(S),
}

#[derive(PartialEq, Eq)]
enum Next {
    Close,
    UpgradeTls,
}

enum LineRead {
    Complete,
    Eof,
    TooLong,
}

struct Connection {
    session: Session<CatchHandler>,
    settings: Arc<Settings>,
    link: Link,
    mode: LineMode,
    /// What the client's next SASL response holds, for taking the password out of it.
    sasl: Sasl,
}

/// The step of an AUTH exchange, as far as the password is concerned.
#[derive(Clone, PartialEq, Eq)]
enum Sasl {
    None,
    /// `AUTH PLAIN` without an initial response: the next line is `authz\0user\0password`.
    Plain,
    /// `AUTH LOGIN`: the next line is the user name.
    LoginUser,
    /// `AUTH LOGIN` after the user name: the next line is the password.
    LoginPassword(String),
    /// `AUTH XOAUTH2` without an initial response: the next line is the bearer blob.
    XOAuth2,
    /// A refused XOAUTH2 token's error challenge was sent: the next line ends the exchange.
    XOAuth2Refused,
}

impl Connection {
    async fn start_tls(&mut self, tcp: TcpStream) -> io::Result<TlsStream<TcpStream>> {
        let handshake = self.settings.acceptor.accept(tcp);
        let tls = timeout(self.settings.idle_timeout, handshake)
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out"))??;
        self.link.lock().tls = true;
        self.session.tls_active();
        Ok(tls)
    }

    /// Converses over `stream` until the client leaves, the server gives up, or STARTTLS hands
    /// the plain stream back for the handshake.
    async fn run<S>(&mut self, stream: S, greet: bool) -> io::Result<Outcome<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let mut io = BufReader::new(stream);
        if self.converse(&mut io, greet).await? == Next::UpgradeTls {
            // Bytes pipelined after STARTTLS were sent in clear and could have been injected
            // (CVE-2011-0411 style); a client doing this is not trusted further.
            if io.buffer().is_empty() {
                return Ok(Outcome::UpgradeTls(io.into_inner()));
            }
        }
        // Best effort, so a TLS client sees close_notify rather than a truncated stream.
        let _ = timeout(self.settings.idle_timeout, io.shutdown()).await;
        Ok(Outcome::Closed)
    }

    async fn converse<S>(&mut self, io: &mut BufReader<S>, greet: bool) -> io::Result<Next>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let idle = self.settings.idle_timeout;
        if greet {
            write_response(io, &self.session.greeting(), idle).await?;
        }
        let mut line = Vec::with_capacity(256);
        loop {
            let limit = match self.mode {
                LineMode::Data => MAX_DATA_LINE,
                LineMode::Command | LineMode::AuthResponse => MAX_COMMAND_LINE,
            };
            let read = match timeout(idle, read_line(io, &mut line, limit)).await {
                Ok(read) => read?,
                Err(_) => {
                    let bye = reply(421, "4.4.2 Idle timeout, closing connection");
                    write_response(io, &bye, idle).await?;
                    return Ok(Next::Close);
                }
            };
            match read {
                LineRead::Complete => {}
                LineRead::Eof => return Ok(Next::Close),
                LineRead::TooLong => {
                    // The rest of the line is still in flight; resynchronising is not worth it.
                    write_response(io, &reply(500, "5.5.6 Line too long"), idle).await?;
                    return Ok(Next::Close);
                }
            }

            let in_data = self.mode == LineMode::Data;
            let response = match self.mode {
                LineMode::Command => self.command(&line),
                LineMode::AuthResponse => self.auth_response(&line),
                LineMode::Data => self.session.process(&line),
            };
            self.mode = next_mode(self.mode, &response);
            if response.action == Action::NoReply {
                continue;
            }
            match &self.settings.xoauth2 {
                Some(_) => {
                    write_bytes(io, super::xoauth2::advertise(response.buffer()?), idle).await?
                }
                None => write_response(io, &response, idle).await?,
            }
            match response.action {
                Action::Close => return Ok(Next::Close),
                Action::UpgradeTls => return Ok(Next::UpgradeTls),
                // mailin stays in its DATA state after a rejected message, so every later
                // command would be swallowed as message text: end the connection instead.
                _ if in_data && response.is_error => return Ok(Next::Close),
                _ => {}
            }
        }
    }

    /// Applies the TLS/AUTH policy that mailin either lacks or answers with a vague `503`,
    /// then lets mailin handle the command.
    fn command(&mut self, line: &[u8]) -> Response {
        let verb = command_verb(line);
        if let Some(refusal) = self.refusal(verb) {
            return refusal;
        }
        if verb.eq_ignore_ascii_case(b"AUTH")
            && let Some(initial) = self.xoauth2_command(line)
        {
            return match initial {
                Some(blob) => self.xoauth2_verdict(&blob),
                None => {
                    self.sasl = Sasl::XOAuth2;
                    reply(334, "")
                }
            };
        }
        let scrubbed;
        let line = if verb.eq_ignore_ascii_case(b"AUTH") {
            scrubbed = self.scrub_auth_command(line);
            &scrubbed
        } else {
            line
        };
        let response = self.session.process(line);
        // A verdict mailin did not ask for must not decide a later AUTH.
        self.link.lock().verdict = None;
        if response.code != 334 {
            self.sasl = Sasl::None;
        }
        let resets_auth = [b"EHLO" as &[u8], b"HELO", b"RSET"]
            .iter()
            .any(|v| verb.eq_ignore_ascii_case(v));
        if resets_auth && response.code == 250 && self.link.lock().auth_user.is_some() {
            self.restore_authentication();
        }
        if response.action == Action::UpgradeTls {
            // RFC 3207: after STARTTLS the server forgets everything learnt in clear.
            self.link.lock().auth_user = None;
        }
        response
    }

    fn refusal(&self, verb: &[u8]) -> Option<Response> {
        let (tls, authenticated) = {
            let link = self.link.lock();
            (link.tls, link.auth_user.is_some())
        };
        let settings = &self.settings;
        if verb.eq_ignore_ascii_case(b"STARTTLS") {
            // mailin would answer 220 and upgrade even when STARTTLS was never offered or TLS
            // is already active.
            if tls {
                return Some(reply(503, "5.5.1 TLS already active"));
            }
            if !settings.starttls_offered {
                return Some(reply(502, "5.5.1 STARTTLS not offered"));
            }
        } else if verb.eq_ignore_ascii_case(b"AUTH") {
            if !settings.auth_enabled() {
                return Some(reply(502, "5.5.1 AUTH not offered"));
            }
            if authenticated {
                return Some(reply(503, "5.5.1 Already authenticated"));
            }
            if !tls && !settings.allow_auth_without_tls {
                // Refused before mailin decodes anything: credentials sent in clear are never
                // checked, so a client cannot learn that they were right.
                return Some(reply(
                    538,
                    "5.7.11 Encryption required for requested authentication mechanism",
                ));
            }
        } else if verb.eq_ignore_ascii_case(b"MAIL") && settings.auth_enabled() && !authenticated {
            return Some(reply(530, "5.7.0 Authentication required"));
        }
        None
    }

    /// Passes a SASL response to mailin, handling the case it does not: a client that cancels
    /// with `*` or sends something that is not base64 (RFC 4954 wants `501`). mailin answers
    /// `500` and keeps waiting for a response, so it would swallow every later command.
    fn auth_response(&mut self, line: &[u8]) -> Response {
        match std::mem::replace(&mut self.sasl, Sasl::None) {
            Sasl::XOAuth2 => {
                let text = String::from_utf8_lossy(line);
                return match text.trim_end_matches(['\r', '\n']) {
                    "*" => reply(501, "5.7.0 Authentication cancelled"),
                    blob => self.xoauth2_verdict(blob),
                };
            }
            Sasl::XOAuth2Refused => {
                return reply(
                    535,
                    "5.7.8 Username and Password not accepted (XOAUTH2 token refused)",
                );
            }
            other => self.sasl = other,
        }
        let scrubbed = self.scrub_auth_response(line);
        let response = self.session.process(&scrubbed);
        self.link.lock().verdict = None;
        if response.code != 334 {
            self.sasl = Sasl::None;
        }
        if response.code != 500 {
            return response;
        }
        // Feed mailin well-formed answers that the handler is told to refuse, until it is back
        // at "must authenticate"; LOGIN may still be waiting for the user name and the password.
        self.link.lock().cancel_auth = true;
        for _ in 0..2 {
            if self.session.process(b"AAAA\r\n").code != 334 {
                break;
            }
        }
        let mut link = self.link.lock();
        link.cancel_auth = false;
        link.verdict = None;
        reply(501, "5.7.0 Authentication cancelled")
    }

    /// mailin logs every line it is given (`log` TRACE, target `mailin`), so the password never
    /// reaches it: this loop checks it, tells the handler the verdict, and hands mailin the
    /// line without it. `AUTH PLAIN <initial response>` loses its password here.
    fn scrub_auth_command(&mut self, line: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(line);
        let mut words = text.split_ascii_whitespace().skip(1);
        let mechanism = words.next().unwrap_or_default().to_ascii_uppercase();
        let initial = words.next();
        self.sasl = Sasl::None;
        match (mechanism.as_str(), initial) {
            ("PLAIN", Some(blob)) => {
                format!("AUTH PLAIN {}\r\n", self.scrub_plain(blob)).into_bytes()
            }
            ("PLAIN", None) => {
                self.sasl = Sasl::Plain;
                line.to_vec()
            }
            ("LOGIN", Some(user)) => {
                self.sasl = Sasl::LoginPassword(decode_text(user).unwrap_or_default());
                line.to_vec()
            }
            ("LOGIN", None) => {
                self.sasl = Sasl::LoginUser;
                line.to_vec()
            }
            _ => line.to_vec(),
        }
    }

    /// The client's next SASL line, with any password taken out (see `scrub_auth_command`).
    fn scrub_auth_response(&mut self, line: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text == "*" {
            return line.to_vec();
        }
        match std::mem::replace(&mut self.sasl, Sasl::None) {
            // XOAUTH2 never reaches mailin (`auth_response` handles it).
            Sasl::None | Sasl::XOAuth2 | Sasl::XOAuth2Refused => line.to_vec(),
            Sasl::Plain => format!("{}\r\n", self.scrub_plain(text)).into_bytes(),
            Sasl::LoginUser => {
                self.sasl = Sasl::LoginPassword(decode_text(text).unwrap_or_default());
                line.to_vec()
            }
            Sasl::LoginPassword(user) => match decode_text(text) {
                Some(password) => {
                    let valid = valid_login(&self.settings, &user, &password);
                    self.link.lock().verdict = Some(valid);
                    // Any well-formed answer: the handler goes by the verdict.
                    format!("{}\r\n", base64(b"-")).into_bytes()
                }
                // Not base64: mailin refuses it without ever seeing the original.
                None => b"!\r\n".to_vec(),
            },
        }
    }

    /// `base64(authz\0user\0password)` checked here and returned as `base64(authz\0user\0)`,
    /// with the verdict left for the handler; something that is not such a blob becomes `!`,
    /// which mailin refuses.
    fn scrub_plain(&self, blob: &str) -> String {
        let Some(decoded) = decode_text(blob) else {
            return "!".to_owned();
        };
        let mut parts = decoded.splitn(3, '\0');
        let (Some(authz), Some(user), Some(password)) = (parts.next(), parts.next(), parts.next())
        else {
            return "!".to_owned();
        };
        // Acting as another user is not something a mail catcher should grant.
        let valid =
            (authz.is_empty() || authz == user) && valid_login(&self.settings, user, password);
        self.link.lock().verdict = Some(valid);
        base64(format!("{authz}\0{user}\0").as_bytes())
    }

    /// `AUTH XOAUTH2 [initial]` when the server takes XOAUTH2: `Some(initial response)`.
    fn xoauth2_command(&self, line: &[u8]) -> Option<Option<String>> {
        self.settings.xoauth2.as_ref()?;
        let text = String::from_utf8_lossy(line);
        let mut words = text.split_ascii_whitespace().skip(1);
        if !words.next()?.eq_ignore_ascii_case("XOAUTH2") {
            return None;
        }
        Some(words.next().map(str::to_owned))
    }

    /// Checks the bearer of an XOAUTH2 blob; an accepted login is replayed into mailin without
    /// the token (see `restore_authentication`), a refused one gets the error challenge.
    fn xoauth2_verdict(&mut self, blob: &str) -> Response {
        let login = decode_text(blob).and_then(|d| super::xoauth2::parse(&d));
        let verify = self.settings.xoauth2.clone();
        match (login, verify) {
            (Some((user, token)), Some(verify)) if verify(&user, &token) => {
                self.link.lock().auth_user = Some(user);
                self.restore_authentication();
                if self.link.lock().auth_user.is_some() {
                    reply(235, "2.7.0 Accepted")
                } else {
                    reply(454, "4.7.0 Temporary authentication failure")
                }
            }
            (Some(_), _) => {
                self.sasl = Sasl::XOAuth2Refused;
                reply(334, super::xoauth2::ERROR_CHALLENGE)
            }
            (None, _) => reply(501, "5.5.2 Malformed XOAUTH2 initial response"),
        }
    }

    /// Works around mailin 0.6.5 sending an authenticated session back to its "must
    /// authenticate" state on EHLO, HELO or RSET, where MAIL is refused with `503`.
    ///
    /// mailin has no way to set that state, so an AUTH PLAIN for the same user is replayed into
    /// it; the handler accepts it because `reauth` names that user, without any password.
    fn restore_authentication(&mut self) {
        let Some(user) = self.link.lock().auth_user.clone() else {
            return;
        };
        self.link.lock().reauth = Some(user.clone());
        let mut sasl = Vec::with_capacity(user.len() + 2);
        sasl.push(0);
        sasl.extend_from_slice(user.as_bytes());
        sasl.push(0);
        let replay = format!("AUTH PLAIN {}\r\n", base64(&sasl));
        let response = self.session.process(replay.as_bytes());
        let mut link = self.link.lock();
        link.reauth = None;
        if response.code != 235 {
            // Stay consistent with mailin, which now wants a fresh AUTH.
            link.auth_user = None;
        }
    }
}

fn reply(code: u16, text: &str) -> Response {
    Response::custom(code, text.to_owned())
}

fn next_mode(current: LineMode, response: &Response) -> LineMode {
    match response.code {
        354 if !response.is_error => LineMode::Data,
        334 => LineMode::AuthResponse,
        _ if current == LineMode::Data && response.action == Action::NoReply => LineMode::Data,
        _ => LineMode::Command,
    }
}

/// The first word of a command line, for routing only; mailin does the real parsing.
fn command_verb(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .position(|b| matches!(b, b' ' | b'\r' | b'\n'))
        .unwrap_or(line.len());
    &line[..end]
}

/// Reads one line including its `\n` into `line`, refusing to buffer more than `limit` bytes.
async fn read_line<R>(reader: &mut R, line: &mut Vec<u8>, limit: usize) -> io::Result<LineRead>
where
    R: AsyncBufRead + Unpin,
{
    line.clear();
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(LineRead::Eof);
        }
        let (take, complete) = match available.iter().position(|b| *b == b'\n') {
            Some(newline) => (newline + 1, true),
            None => (available.len(), false),
        };
        if line.len() + take > limit {
            return Ok(LineRead::TooLong);
        }
        line.extend_from_slice(&available[..take]);
        reader.consume(take);
        if complete {
            return Ok(LineRead::Complete);
        }
    }
}

async fn write_response<W>(writer: &mut W, response: &Response, idle: Duration) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    write_bytes(writer, response.buffer()?, idle).await
}

async fn write_bytes<W>(writer: &mut W, bytes: Vec<u8>, idle: Duration) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    // A client that stops reading must not pin the connection open either.
    let write = async {
        writer.write_all(&bytes).await?;
        writer.flush().await
    };
    timeout(idle, write)
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "client stopped reading"))?
}

/// Standard base64 with padding; only used to build the replayed AUTH line, which does not
/// justify a dependency.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let triple = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        let sextet = |shift: u32| char::from(ALPHABET[((triple >> shift) & 0x3f) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

/// Standard base64 (padding optional) decoded to UTF-8 text; `None` if it is neither.
fn decode_text(text: &str) -> Option<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let text = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = ALPHABET.iter().position(|a| *a == byte)?;
        acc = (acc << 6) | u32::try_from(value).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_text_reverses_base64() {
        for text in ["", "f", "fo", "foo", "foob", "\0user\0pass:w@rd"] {
            assert_eq!(decode_text(&base64(text.as_bytes())).as_deref(), Some(text));
        }
        assert_eq!(decode_text("not base64!"), None);
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"\0user\0", "AHVzZXIA"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input), expected);
        }
    }

    #[test]
    fn command_verb_is_the_first_word() {
        assert_eq!(command_verb(b"AUTH PLAIN AHVzZXIA\r\n"), b"AUTH");
        assert_eq!(command_verb(b"starttls\r\n"), b"starttls");
        assert_eq!(command_verb(b"QUIT"), b"QUIT");
    }

    #[tokio::test]
    async fn read_line_is_bounded() {
        let mut input: &[u8] = b"EHLO a\r\n0123456789\r\npartial";
        let mut line = Vec::new();
        assert!(matches!(
            read_line(&mut input, &mut line, 16).await.unwrap(),
            LineRead::Complete
        ));
        assert_eq!(line, b"EHLO a\r\n");
        assert!(matches!(
            read_line(&mut input, &mut line, 8).await.unwrap(),
            LineRead::TooLong
        ));
        let mut input: &[u8] = b"partial";
        assert!(matches!(
            read_line(&mut input, &mut line, 16).await.unwrap(),
            LineRead::Eof
        ));
    }
}
