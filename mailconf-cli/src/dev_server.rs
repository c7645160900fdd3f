use std::path::Path;

use mailconf_smtp::dev_server::{DevServer, DevTls, ReceivedMessage};
use serde_json::json;

use crate::Failed;
use crate::cli::{DevServerArgs, DevTlsArg};

pub async fn run(args: DevServerArgs, json: bool, lang: mailconf_core::Lang) -> Result<(), Failed> {
    let fail = |what: &str, e: std::io::Error| {
        eprintln!("error: {what}: {e}");
        Failed
    };
    if let Some(addr) = args.web
        && !addr.ip().is_loopback()
    {
        eprintln!("error: {}", crate::inbox::not_loopback(addr).render(lang));
        return Err(Failed);
    }
    let tls = match args.tls {
        DevTlsArg::Starttls => DevTls::StartTls,
        DevTlsArg::Implicit => DevTls::Implicit,
        DevTlsArg::None => DevTls::None,
    };
    let mut builder = DevServer::builder()
        .tls(tls)
        .bind(([127, 0, 0, 1], args.port).into());
    if let (Some(user), Some(password)) = (&args.user, &args.password) {
        // On loopback without TLS a login is allowed: the catcher is for local development.
        builder = builder.user(user, password).allow_auth_without_tls(true);
    }
    let server = builder
        .start()
        .await
        .map_err(|e| fail("cannot start the server", e))?;
    let out_dir = args.out.clone().unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&out_dir).map_err(|e| fail("cannot create the output directory", e))?;
    let ca_file = server
        .write_ca_file(&out_dir)
        .map_err(|e| fail("cannot write the CA file", e))?;
    print_settings(&server, &args, &ca_file, json);
    let inbox = args.web.map(|_| crate::inbox::Inbox::default());
    if let (Some(addr), Some(inbox)) = (args.web, &inbox) {
        let web = crate::inbox::serve(addr, inbox.clone())
            .await
            .map_err(|e| fail("cannot start the web inbox", e))?;
        if json {
            outln!(
                "{}",
                json!({"event": "web", "url": format!("http://{web}/")})
            );
        } else {
            let listening = mailconf_core::Message::new("cli-inbox-listening")
                .arg("url", format!("http://{web}/"));
            outln!("{}", listening.render(lang));
        }
    }

    let mut received = server.subscribe();
    let mut count = 0usize;
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            message = received.recv() => match message {
                Ok(message) => {
                    count += 1;
                    if let Some(inbox) = &inbox {
                        inbox.push(&message);
                    }
                    let file = match &args.out {
                        Some(dir) => Some(write_eml(dir, count, &message).map_err(|e| fail("cannot write the message", e))?),
                        None => None,
                    };
                    print_message(&message, file.as_deref(), json);
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => eprintln!("warning: {n} messages not shown (too many at once)"),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            },
        }
    }
    server.shutdown().await;
    Ok(())
}

fn print_settings(server: &DevServer, args: &DevServerArgs, ca_file: &Path, json: bool) {
    let (starttls, ssl_tls) = match args.tls {
        DevTlsArg::Starttls => ("true", "false"),
        DevTlsArg::Implicit => ("false", "true"),
        DevTlsArg::None => ("false", "false"),
    };
    let mut settings = vec![
        ("MAIL_SERVER", "127.0.0.1".to_owned()),
        ("MAIL_PORT", server.port().to_string()),
        ("MAIL_STARTTLS", starttls.to_owned()),
        ("MAIL_SSL_TLS", ssl_tls.to_owned()),
        ("MAIL_CA_FILE", ca_file.display().to_string()),
    ];
    // A login the dev server checks is usually also the sender an account may use.
    let sender = match &args.user {
        Some(user) if user.contains('@') => user.clone(),
        _ => "app@example.com".to_owned(),
    };
    settings.push(("MAIL_FROM", sender));
    match &args.user {
        Some(user) => {
            settings.push(("MAIL_USERNAME", user.clone()));
            // The password is never printed; this stands in for it and loads as a value.
            settings.push(("MAIL_PASSWORD", "<the --password you gave>".to_owned()));
        }
        None => settings.push(("USE_CREDENTIALS", "false".to_owned())),
    }
    if json {
        let map: serde_json::Map<_, _> = settings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect();
        outln!(
            "{}",
            json!({"event": "listening", "port": server.port(), "settings": map})
        );
    } else {
        outln!(
            "mailconf dev-server listening on 127.0.0.1:{} ({:?})",
            server.port(),
            server.tls()
        );
        outln!("Point your application at it with (these lines work as a .env file):");
        for (k, v) in &settings {
            outln!("  {k}={}", dotenv_value(v));
        }
        outln!("Waiting for messages (Ctrl-C to stop)...");
    }
}

/// `value` as a .env file reads it back (dotenvy, python-dotenv): quoted when it holds a
/// space, a quote, a `#`, a `$` or a backslash; single quotes take everything literally.
fn dotenv_value(value: &str) -> String {
    let plain = !value
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '#' | '\\' | '$'));
    if plain {
        value.to_owned()
    } else if !value.contains('\'') {
        format!("'{value}'")
    } else {
        let escaped = value
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('$', "\\$");
        format!("\"{escaped}\"")
    }
}

fn print_message(message: &ReceivedMessage, file: Option<&Path>, json: bool) {
    let subject = message.subject().unwrap_or_default();
    if json {
        let out = json!({
            "event": "message", "mail_from": message.mail_from, "rcpt_to": message.rcpt_to,
            "subject": subject, "auth_user": message.auth_user, "tls": message.tls,
            "size": message.data.len(), "file": file.map(|f| f.display().to_string()),
        });
        outln!("{out}");
    } else {
        outln!(
            "message from <{}> to {} subject {subject:?} ({} bytes{}){}",
            message.mail_from,
            message
                .rcpt_to
                .iter()
                .map(|r| format!("<{r}>"))
                .collect::<Vec<_>>()
                .join(", "),
            message.data.len(),
            if message.tls { ", TLS" } else { "" },
            file.map(|f| format!(" saved to {}", f.display()))
                .unwrap_or_default()
        );
    }
}

fn write_eml(
    dir: &Path,
    n: usize,
    message: &ReceivedMessage,
) -> std::io::Result<std::path::PathBuf> {
    let path = dir.join(format!("{n:05}.eml"));
    std::fs::write(&path, &message.data)?;
    Ok(path)
}
