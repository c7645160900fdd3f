//! The mailconf quickstart, the README's first command: `cargo run -p quickstart`.
//!
//! 1. Starts the development SMTP server on 127.0.0.1 with STARTTLS and a login.
//! 2. Loads the settings the way an application does, from `quickstart.env` (plus the port and
//!    CA file of the server it just started).
//! 3. Sends an account-verification email through `Mailer` and prints what the server received.
//! 4. Shows the report for the classic broken settings.

use std::error::Error;
use std::time::Duration;

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{Mailer, SmtpConfig, SmtpSettings};

const ENV_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/quickstart.env");

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quickstart failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    println!("== 1. A local SMTP server (STARTTLS, login required)");
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .user("app@example.com", "quickstart-password")
        .start()
        .await?;
    // A directory of this run's own, removed at the end (no temp-file crate for one file).
    let dir = std::env::temp_dir().join(format!("mailconf-quickstart-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = demo(&server, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    server.shutdown().await;
    result
}

async fn demo(server: &DevServer, dir: &std::path::Path) -> Result<(), Box<dyn Error>> {
    let ca_file = server.write_ca_file(dir)?;
    println!(
        "   listening on 127.0.0.1:{}; its CA is {}\n",
        server.port(),
        ca_file.display()
    );

    println!("== 2. Settings from {ENV_FILE}");
    let sources = Sources::new().dotenv(ENV_FILE).map([
        ("MAIL_PORT", server.port().to_string()),
        ("MAIL_CA_FILE", ca_file.display().to_string()),
    ]);
    let config = SmtpConfig::load(&sources)
        .map_err(|e| format!("the quickstart settings are broken:\n{e}"))?;
    let endpoint = config.endpoint();
    println!(
        "   OK: {}:{} with {}, login {}, password [redacted]\n",
        endpoint.host,
        endpoint.port,
        endpoint.security,
        config.username().unwrap_or("-")
    );

    println!("== 3. An account-verification email through Mailer");
    let mailer = Mailer::new(&config)?;
    let message = mailer.verification_email(
        "Jürgen Müller <juergen@example.org>",
        "Zoë's Example App",
        "https://app.example.com/verify?token=f00dfeed",
    )?;
    let report = mailer.send(message).await?;
    println!(
        "   the server answered {} {}",
        report.code(),
        report.reply()
    );
    let received = server.wait_for_messages(1, Duration::from_secs(5)).await;
    let m = received.first().ok_or("the server received nothing")?;
    println!(
        "   received: from <{}> to {:?}, logged in as {:?}, over TLS: {}",
        m.mail_from,
        m.rcpt_to,
        m.auth_user.as_deref().unwrap_or("-"),
        m.tls
    );
    println!("   Subject: {}\n", m.subject().unwrap_or_default());

    println!("== 4. What goes wrong in production, reported all at once\n");
    let good = [
        ("MAIL_SERVER", "smtp.example.com"),
        ("MAIL_USERNAME", "app@example.com"),
        ("MAIL_PASSWORD", "hunter2-never-shown"),
        ("MAIL_FROM", "app@example.com"),
        ("MAIL_PORT", "587"),
    ];
    let broken: [(&str, &[(&str, &str)]); 3] = [
        (
            "fastapi-mail's old keys MAIL_TLS / MAIL_SSL",
            &[("MAIL_TLS", "true"), ("MAIL_SSL", "false")],
        ),
        (
            "both TLS flags on",
            &[("MAIL_STARTTLS", "true"), ("MAIL_SSL_TLS", "true")],
        ),
        (
            "STARTTLS on port 465, and a pool size out of range",
            &[
                ("MAIL_STARTTLS", "true"),
                ("MAIL_SSL_TLS", "false"),
                ("MAIL_PORT", "465"),
                ("MAIL_POOL_SIZE", "70000"),
            ],
        ),
    ];
    for (title, changes) in broken {
        let mut env: Vec<(&str, &str)> = good
            .iter()
            .copied()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .collect();
        env.extend_from_slice(changes);
        println!("-- {title}:");
        match SmtpConfig::from_map(env) {
            Ok(_) => println!("   (unexpectedly accepted)"),
            Err(errors) => println!("{errors}"),
        }
    }
    Ok(())
}
