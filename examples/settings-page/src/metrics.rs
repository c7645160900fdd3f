//! The application's metrics exporter: how any app that sends with `mailconf_smtp::Mailer`
//! exposes mailconf's metrics. The `Mailer` records through the `metrics` facade and leaves
//! the choice of exporter to the application; this one installs Prometheus's, once, at
//! start-up (`settings-page --metrics 127.0.0.1:9464`).

use std::net::SocketAddr;

use mailconf_smtp::metrics::SECONDS_BUCKETS;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};

/// Serves every metric recorded in this process in Prometheus text format on `addr`
/// (`GET /metrics`), with histogram buckets for the `*_seconds` metrics.
///
/// Call it once, inside the tokio runtime, before the first send: a process has one recorder.
/// `Err` (with the reason) when `addr` cannot be bound or a recorder is already installed.
pub fn serve_metrics(addr: SocketAddr) -> Result<(), String> {
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &SECONDS_BUCKETS)
        .and_then(PrometheusBuilder::install)
        .map_err(|e| format!("cannot serve metrics on {addr} (--metrics): {e}"))
}
