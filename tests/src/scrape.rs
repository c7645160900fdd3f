//! Reading a Prometheus exporter as a scraper does: a plain HTTP GET of `/metrics`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::time::Duration;

/// The body of `GET /metrics` on 127.0.0.1:`port` when it answers 200; `None` while nothing
/// answers there.
#[must_use]
pub fn metrics_text(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200").then(|| body.to_owned())
}

/// The value of the unlabelled `metric` in Prometheus text.
#[must_use]
pub fn metric_value(text: &str, metric: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        line.strip_prefix(metric)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}
