//! The probe's connection: TCP, optionally TLS from the first byte, with the greeting replayed.
//!
//! lettre's `AsyncSmtpConnection` reads the greeting and sends EHLO in one call, and its
//! implicit-TLS connect does TCP and the handshake in one call too. To time (and time out)
//! each of those on its own, the probe does the handshake with lettre's own stream type and
//! the mailer's TLS parameters, reads the greeting itself, and then hands lettre this stream,
//! which serves the greeting once more before the live connection.

// `AsyncNetworkStream` is public but deprecated ("not meant to be public"); it is the only way
// to run lettre's handshake, with exactly the parameters a send uses, as a separate step.
#![allow(deprecated)]

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::{AsyncRead as FuturesRead, AsyncWrite as FuturesWrite};
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::client::{AsyncNetworkStream, AsyncTokioStream, TlsParameters};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

#[derive(Debug)]
pub(super) struct ProbeStream {
    inner: AsyncNetworkStream,
    /// Bytes the probe already read (the greeting), served first to whoever reads next.
    replay: Vec<u8>,
    replayed: usize,
}

impl ProbeStream {
    pub(super) fn new(tcp: TcpStream) -> ProbeStream {
        // SMTP is lock-step request/reply; Nagle would only add latency.
        let _ = tcp.set_nodelay(true);
        ProbeStream {
            inner: AsyncNetworkStream::use_existing_tokio1(Box::new(tcp)),
            replay: Vec::new(),
            replayed: 0,
        }
    }

    /// The TLS handshake, before anything else is read (implicit TLS).
    pub(super) async fn handshake(&mut self, tls: TlsParameters) -> Result<(), SmtpError> {
        self.inner.upgrade_tls(tls).await
    }

    /// Serves `bytes` to the next reads, before anything from the server.
    pub(super) fn replay(&mut self, bytes: Vec<u8>) {
        self.replay = bytes;
        self.replayed = 0;
    }
}

impl AsyncRead for ProbeStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Some(rest) = this.replay.get(this.replayed..).filter(|r| !r.is_empty()) {
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.replayed += n;
            return Poll::Ready(Ok(()));
        }
        let unfilled = buf.initialize_unfilled();
        match Pin::new(&mut this.inner).poll_read(cx, unfilled) {
            Poll::Ready(Ok(n)) => {
                buf.advance(n);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for ProbeStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}

impl AsyncTokioStream for ProbeStream {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }
}
