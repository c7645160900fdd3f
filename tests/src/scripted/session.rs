//! One connection of the peer: the SMTP conversation, with the script's acts in place of the
//! default replies.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::peer::{Received, Seen};
use super::script::{Act, Script, Step};

/// Recorded among the commands when the client's first bytes after the greeting or `220` to
/// `STARTTLS` are a TLS handshake record.
pub const CLIENT_HELLO: &str = "(TLS handshake record)";
/// Recorded instead of [`CLIENT_HELLO`] when they are not.
pub const NOT_TLS: &str = "(not a TLS record)";

/// The two halves of an accepted connection.
pub(crate) struct Conn {
    lines: BufReader<OwnedReadHalf>,
    out: OwnedWriteHalf,
}

impl Conn {
    /// Writes a reply; a `text` of several lines becomes a multi-line reply. `false` when the
    /// client has gone.
    pub(crate) async fn reply(&mut self, code: u16, text: &str) -> bool {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut reply = String::new();
        for (i, line) in lines.iter().enumerate() {
            let separator = if i + 1 == lines.len() { ' ' } else { '-' };
            write!(reply, "{code}{separator}{line}\r\n").expect("a String takes any text");
        }
        self.out.write_all(reply.as_bytes()).await.is_ok()
    }

    /// The next line without its line ending, or `None` when the client has gone.
    pub(crate) async fn line(&mut self) -> Option<String> {
        let mut line = Vec::new();
        match self.lines.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(
                String::from_utf8_lossy(&line)
                    .trim_end_matches(['\r', '\n'])
                    .to_owned(),
            ),
        }
    }

    /// Reads the message up to the final `.`: its `Message-ID`, or `None` if the client left.
    async fn message(&mut self) -> Option<String> {
        let mut id = String::new();
        loop {
            let line = self.line().await?;
            if line == "." {
                return Some(id);
            }
            if let Some(value) = line
                .strip_prefix("Message-ID:")
                .or_else(|| line.strip_prefix("Message-Id:"))
            {
                value.trim().clone_into(&mut id);
            }
        }
    }

    /// Performs `act`; `false` when the connection is to end.
    async fn act(&mut self, act: Act, seen: &Seen) -> bool {
        match act {
            Act::Reply(code, text) => self.reply(code, &text).await,
            Act::ReplyThenClose(code, text) => {
                self.reply(code, &text).await;
                false
            }
            Act::Close | Act::CloseMidMessage | Act::CloseAfterDot => false,
            Act::Stall => stall().await,
            Act::ReadHelloThenStall => self.read_hello_then_stall(seen).await,
            Act::ReadyThenStall => {
                self.reply(220, "2.0.0 Ready to start TLS").await;
                self.read_hello_then_stall(seen).await
            }
            Act::ReadyThenGarbage => {
                self.reply(220, "2.0.0 Ready to start TLS").await;
                self.garbage().await
            }
            Act::Garbage => self.garbage().await,
        }
    }

    async fn read_hello_then_stall(&mut self, seen: &Seen) -> bool {
        // A TLS record starts with 0x16 (handshake); the ClientHello follows. Recorded for the
        // test to check: a panic in this task would reach it only as a closed connection.
        let first = self
            .lines
            .fill_buf()
            .await
            .ok()
            .and_then(|b| b.first().copied());
        seen.command(if first == Some(0x16) {
            CLIENT_HELLO
        } else {
            NOT_TLS
        });
        stall().await
    }

    async fn garbage(&mut self) -> bool {
        let _ = self.out.write_all(b"this is not TLS at all\r\n").await;
        stall().await
    }
}

async fn stall() -> bool {
    tokio::time::sleep(Duration::from_secs(3600)).await;
    false
}

/// Serves connection number `n` by `script`, recording in `seen`.
pub(crate) async fn serve(n: usize, stream: TcpStream, script: Arc<Script>, seen: Arc<Seen>) {
    let (read, out) = stream.into_split();
    let mut conn = Conn {
        lines: BufReader::new(read),
        out,
    };
    let greeting = script.act(n, Step::Greeting, Act::reply(220, "scripted ESMTP"));
    if !conn.act(greeting, &seen).await {
        return;
    }
    while let Some(line) = conn.line().await {
        seen.command(&line);
        let Some(next) = conn.answer(n, &line, &script, &seen).await else {
            return;
        };
        if !conn.act(next, &seen).await {
            return;
        }
    }
}

impl Conn {
    /// What to do about the command `line`; `None` when the connection is to end.
    async fn answer(&mut self, n: usize, line: &str, script: &Script, seen: &Seen) -> Option<Act> {
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let act = |step, default| script.act(n, step, default);
        Some(match verb.as_str() {
            "EHLO" => act(Step::Ehlo, script.ehlo()),
            "STARTTLS" => act(Step::StartTls, Act::reply(502, "5.5.1 not scripted")),
            "AUTH" => {
                let (user, password) = self.auth(line).await?;
                let default = if script.accepts_login(&user, &password) {
                    Act::reply(235, "2.7.0 Authentication successful")
                } else {
                    Act::reply(535, "5.7.8 Authentication credentials invalid")
                };
                act(Step::Auth, default)
            }
            "MAIL" => act(Step::Mail, Act::reply(250, "2.1.0 Ok")),
            "RCPT" => act(Step::Rcpt, Act::reply(250, "2.1.5 Ok")),
            "DATA" => return self.data(n, script, seen).await,
            "NOOP" | "RSET" => Act::reply(250, "2.0.0 Ok"),
            "QUIT" => Act::reply_then_close(221, "2.0.0 Bye"),
            _ => Act::reply(502, "5.5.2 Command not recognized"),
        })
    }

    /// `DATA`: the reply to it, the message, and the act after its final `.`.
    async fn data(&mut self, n: usize, script: &Script, seen: &Seen) -> Option<Act> {
        let go_ahead = Act::reply(354, "End data with <CR><LF>.<CR><LF>");
        match script.act(n, Step::Data, go_ahead) {
            Act::CloseMidMessage => {
                self.reply(354, "go ahead").await;
                let _ = self.line().await;
                let _ = self.line().await;
                None
            }
            Act::Reply(354, text) => {
                if !self.reply(354, &text).await {
                    return None;
                }
                let message_id = self.message().await?;
                let end = script.act(n, Step::End, Act::reply(250, "2.0.0 Ok: queued"));
                seen.message(Received {
                    message_id,
                    acknowledged: end.accepts(),
                });
                (end != Act::CloseAfterDot).then_some(end)
            }
            other => Some(other),
        }
    }
}
