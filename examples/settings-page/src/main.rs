//! `settings-page`: serves the SMTP settings page. See the library for what it does.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use settings_page::{AppState, Options, serve};

/// A web page to edit, validate, save and test SMTP settings (fastapi-mail's MAIL_* variables).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The .env file the settings are saved to (created on the first save, mode 0600).
    #[arg(long, value_name = "PATH")]
    env_file: PathBuf,
    /// Address to listen on. Plain HTTP: keep it on loopback, or put TLS in front.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8088")]
    bind: SocketAddr,
    /// Admin token for the API, at least 16 characters (prefer the environment variable: command
    /// lines are visible to other users of the machine).
    #[arg(long, env = "SETTINGS_PAGE_TOKEN", hide_env_values = true)]
    token: String,
    /// An SMTP host the connection test may contact (repeatable). Loopback and private
    /// addresses must be listed themselves.
    #[arg(long = "allow-host", value_name = "HOST")]
    allow_hosts: Vec<String>,
    /// Another origin the page is reached under, such as https://mail-admin.example.com behind a
    /// reverse proxy (repeatable).
    #[arg(long = "origin", value_name = "URL")]
    origins: Vec<String>,
    /// The folder whose files the form may name in file-path settings (MAIL_PASSWORD_FILE,
    /// MAIL_CA_FILE, ...). Without it the form cannot set them.
    #[arg(long, value_name = "DIR")]
    files_dir: Option<PathBuf>,
    /// A port the connection test may contact besides 25, 465, 587 and 2525 (repeatable).
    #[arg(long = "allow-port", value_name = "PORT")]
    allow_ports: Vec<u16>,
    /// Serve Prometheus metrics (mailconf's and any other recorded in this process) on this
    /// address, such as 127.0.0.1:9464.
    #[arg(long, value_name = "ADDR")]
    metrics: Option<SocketAddr>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // The audit log (who changed which key) and other events, to standard error.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(true)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    // Before anything records: the exporter sees every metric from then on.
    if let Some(addr) = args.metrics {
        settings_page::serve_metrics(addr)?;
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let env_file = args.env_file.clone();
    let options = Options {
        env_file: args.env_file,
        token: args.token,
        allow_hosts: args.allow_hosts,
        origins: args.origins,
        files_dir: args.files_dir,
        allow_ports: args.allow_ports,
    };
    let state = AppState::new(options, bound).map_err(|e| e.to_string())?;
    println!(
        "settings page on http://{bound}/ (saving to {})",
        env_file.display()
    );
    if !bound.ip().is_loopback() {
        eprintln!(
            "warning: listening on {bound} over plain HTTP: the token and the password cross the network unencrypted unless a TLS proxy is in front"
        );
    }
    let shutdown = async {
        // Without a signal handler the server simply runs until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    serve(listener, state, shutdown)
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}
