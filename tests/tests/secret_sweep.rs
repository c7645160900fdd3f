//! Secret sweep: a distinctive password, set through the environment, a `.env` file,
//! `MAIL_PASSWORD_FILE` and `MAIL_URL`, must not appear in anything the libraries print.
//!
//! Each case runs in a child process (this test binary again, running `sweep_child`), so that
//! the environment is set with `Command::env` and a global `tracing` subscriber can record
//! everything at TRACE level, `log` records included (the dev server's `mailin` logs every SMTP
//! line through `log`). The child loads `SmtpConfig`, prints its `Debug`, warnings, errors
//! (`Display`, `Debug`, JSON), the schema and templates, then sends through a `Mailer` to a
//! STARTTLS dev server that accepts the password (`ok`) or expects another one (`wrong`:
//! `SendError` `Display`/`Debug`), and the connection test. The parent searches the child's
//! whole output for the password raw, percent-encoded and base64-encoded (alone, as AUTH LOGIN
//! sends it, and inside the AUTH PLAIN blob `\0user\0password`).
//!
//! The CLI is swept by `mailconf-cli/tests/no_secret_in_output.rs`, the settings page by its
//! own tests.

use std::io::Write;
use std::net::Ipv4Addr;

use mailconf_tests::ports::free_ports;
use std::path::Path;
use std::process::{Command, Output};

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{Mailer, SmtpConfig, SmtpSettings, Stage};

const USER: &str = "sweep-user";
/// Needs percent-encoding in a URL (`#`, `:`, `@`, `/`) and quoting in a `.env` file.
const PASSWORD: &str = "Sw33p#Pa55:w@rd/Zq";
const PASSWORD_IN_URL: &str = "Sw33p%23Pa55%3Aw%40rd%2FZq";
const FROM: &str = "sweep@example.com";
/// Marks a child that ran to its end.
const DONE: &str = "SWEEP-CHILD-DONE";

// ---------------------------------------------------------------------------------------------
// the parent

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Source {
    Env,
    DotEnv,
    File,
    Url,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Variant {
    /// The settings load and the server accepts the password.
    Ok,
    /// The settings load; the server expects another password (535).
    Wrong,
    /// The settings have many mistakes, the password still set.
    Broken,
}

#[test]
fn the_password_appears_in_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Source, Variant)> = [Source::Env, Source::DotEnv, Source::File, Source::Url]
        .into_iter()
        .flat_map(|s| [Variant::Ok, Variant::Wrong, Variant::Broken].map(|v| (s, v)))
        .collect();
    let ports = free_ports(cases.len());
    let outputs: Vec<((Source, Variant), Output)> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .iter()
            .zip(&ports)
            .map(|(&case, &port)| {
                let dir = dir.path();
                scope.spawn(move || (case, child(case, port, dir)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let forms = forbidden_forms();
    for ((source, variant), output) in outputs {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let all = format!("{stdout}\n{stderr}");
        assert!(
            output.status.success() && stdout.contains(DONE),
            "{source:?}/{variant:?}: the child failed:\n{all}"
        );
        for (what, form) in &forms {
            if let Some(at) = all.find(form.as_str()) {
                let start = all[..at]
                    .char_indices()
                    .rev()
                    .nth(300)
                    .map_or(0, |(i, _)| i);
                panic!(
                    "{source:?}/{variant:?}: the password ({what}: {form}) is in the output:\n...{}",
                    &all[start..(at + form.len() + 100).min(all.len())]
                );
            }
        }
        // The capture works: mailin's TRACE lines and the mailer's DEBUG lines are recorded.
        let case = format!("{source:?}/{variant:?}");
        if variant != Variant::Broken {
            assert!(
                all.contains("> AUTH PLAIN"),
                "{case}: no mailin TRACE lines:\n{all}"
            );
            assert!(
                all.contains("STARTTLS done"),
                "{case}: no DEBUG lines:\n{all}"
            );
        }
        if variant == Variant::Ok {
            assert!(
                all.contains("> AUTH LOGIN"),
                "{case}: the AUTH LOGIN exchange is missing:\n{all}"
            );
            assert!(
                all.contains("> MAIL FROM"),
                "{case}: no delivery logged:\n{all}"
            );
        }
    }
}

/// Runs `sweep_child` in a new process with the settings of `case`.
fn child((source, variant): (Source, Variant), port: u16, dir: &Path) -> Output {
    let mut settings: Vec<(String, String)> = Vec::new();
    let mut set = |key: &str, value: &str| settings.push((key.to_owned(), value.to_owned()));
    if source == Source::Url {
        let path = if variant == Variant::Broken {
            "/ehlo"
        } else {
            ""
        };
        set(
            "MAIL_URL",
            &format!("smtp://{USER}:{PASSWORD_IN_URL}@localhost:{port}{path}?tls=required"),
        );
    } else {
        set("MAIL_SERVER", "localhost");
        set("MAIL_PORT", &port.to_string());
        set("MAIL_STARTTLS", "true");
        set("MAIL_SSL_TLS", "false");
        set("MAIL_USERNAME", USER);
    }
    set("MAIL_FROM", FROM);
    set("MAIL_FROM_NAME", "Sweep Test");
    set("TIMEOUT", "5s");
    match source {
        Source::Env | Source::DotEnv => set("MAIL_PASSWORD", PASSWORD),
        Source::File => {
            let file = dir.join(format!("password-{port}"));
            std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
            set("MAIL_PASSWORD_FILE", &file.display().to_string());
        }
        Source::Url => {}
    }
    if variant == Variant::Broken {
        // Every kind of problem, with the password still set.
        set("MAIL_PORT", "99999");
        set("MAIL_FROM", "not an address");
        set("MAIL_PASWORD", PASSWORD);
        set("MAIL_TLS", "true");
        set("MAIL_RATE_LIMIT", "fast");
        if source == Source::Url {
            set("MAIL_PASSWORD", PASSWORD);
            set("MAIL_SERVER", "localhost");
        } else {
            set(
                "MAIL_URL",
                &format!("smtps://{USER}:{PASSWORD_IN_URL}@localhost"),
            );
            set("MAIL_PASSWORD_FILE", "/nonexistent/password");
        }
    }

    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "sweep_child", "--nocapture", "--test-threads=1"])
        .env_clear()
        .env("MAILCONF_SWEEP", format!("{source:?}/{variant:?}"))
        .env("MAILCONF_SWEEP_PORT", port.to_string());
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    if source == Source::DotEnv {
        let file = dir.join(format!("sweep-{port}.env"));
        let mut text = String::from("# secret sweep\n");
        for (key, value) in &settings {
            text.push_str(&format!("{key}='{value}'\n"));
        }
        if variant == Variant::Broken {
            // A line that does not parse (dotenvy stops there): the error must not quote it.
            text.push_str(&format!("MAIL_DEBUG=\"{PASSWORD} unterminated\n"));
        }
        std::fs::File::create(&file)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        command.env("MAILCONF_SWEEP_DOTENV", &file);
    } else {
        command.envs(settings);
    }
    command.output().unwrap()
}

/// The password as it could appear: raw, percent-encoded, base64-encoded.
fn forbidden_forms() -> Vec<(&'static str, String)> {
    let mut forms = vec![
        ("raw", PASSWORD.to_owned()),
        ("percent-encoded", PASSWORD_IN_URL.to_owned()),
        (
            "percent-encoded, lower case",
            PASSWORD_IN_URL.to_lowercase(),
        ),
        ("AUTH LOGIN", base64(PASSWORD.as_bytes())),
        (
            "AUTH PLAIN",
            base64(format!("\0{USER}\0{PASSWORD}").as_bytes()),
        ),
    ];
    // The password inside any longer base64 text, at each of the three alignments: the groups
    // made of its bytes alone.
    for offset in 0..3 {
        let mut bytes = vec![0u8; offset];
        bytes.extend_from_slice(PASSWORD.as_bytes());
        let encoded = base64(&bytes);
        let skip = if offset == 0 { 0 } else { 4 };
        let keep = (offset + PASSWORD.len()) / 3 * 4;
        forms.push(("base64, any alignment", encoded[skip..keep].to_owned()));
    }
    forms
}

/// Standard base64 with padding (RFC 4648), from lettre's MIME body encoder with its 76-column
/// line breaks taken out: encoded independently of the dev server, which decodes what lettre
/// sends with its own code, and without a copy of that code here.
fn base64(input: &[u8]) -> String {
    use lettre::message::Body;
    use lettre::message::header::ContentTransferEncoding;

    let body = Body::new_with_encoding(input.to_vec(), ContentTransferEncoding::Base64)
        .expect("any bytes can be base64-encoded");
    String::from_utf8(body.into_vec())
        .unwrap()
        .replace("\r\n", "")
}

#[test]
fn the_forms_searched_for_are_right() {
    assert_eq!(base64(b"\0user\0"), "AHVzZXIA");
    assert_eq!(base64(b"fooba"), "Zm9vYmE=");
    // Longer than one 76-column line: the line breaks are gone.
    assert_eq!(base64(&[0; 60]), "A".repeat(80));
    let forms = forbidden_forms();
    // Each alignment form is found in a longer base64 text holding the password.
    for prefix in ["", "x", "xy", "xyz"] {
        let text = base64(format!("{prefix}{PASSWORD}!").as_bytes());
        assert!(
            forms[5..].iter().any(|(_, f)| text.contains(f.as_str())),
            "{prefix:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// the child

/// The child's side: does nothing unless started by the parent.
#[test]
fn sweep_child() {
    let Ok(case) = std::env::var("MAILCONF_SWEEP") else {
        return;
    };
    tracing_log::LogTracer::init().unwrap();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(sweep(&case));
    println!("{DONE}");
}

async fn sweep(case: &str) {
    let variant = case.rsplit('/').next().unwrap();
    let port: u16 = std::env::var("MAILCONF_SWEEP_PORT")
        .unwrap()
        .parse()
        .unwrap();
    let server_password = if variant == "Wrong" {
        "the-server-expects-this"
    } else {
        PASSWORD
    };
    let dir = tempfile::tempdir().unwrap();
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .bind((Ipv4Addr::LOCALHOST, port).into())
        .user(USER, server_password)
        .start()
        .await
        .unwrap();
    let ca = server.write_ca_file(dir.path()).unwrap();
    let sources = match std::env::var_os("MAILCONF_SWEEP_DOTENV") {
        Some(path) => Sources::new().dotenv(path),
        None => Sources::new().env(),
    }
    .map([("MAIL_CA_FILE", ca.display().to_string())]);

    let loaded = SmtpConfig::load(&sources);
    println!("{loaded:?}");
    match loaded {
        Err(errors) => {
            assert_eq!(variant, "Broken", "{errors}");
            println!("{errors}\n{errors:#?}");
            println!("{}", serde_json::to_string_pretty(&errors).unwrap());
            for error in &errors {
                println!("{error}\n{error:?}\n{:?}", error.input());
            }
            assert!(errors.len() >= 5, "{errors}");
        }
        Ok(config) => {
            assert_ne!(variant, "Broken");
            println!("{config:#?}");
            for warning in config.warnings() {
                println!("{warning}\n{warning:?}");
            }
            println!(
                "{:?}\n{:?}\n{:?}\n{:?}",
                config.credentials(),
                config.endpoint(),
                config.sender(),
                config.clone()
            );
            send(&config, variant, &server).await;
        }
    }
    let schema = SmtpConfig::schema();
    println!("{}", schema.env_example());
    println!("{}", schema.json_schema());
    println!("{}", schema.markdown());
    server.shutdown().await;
}

async fn send(config: &SmtpConfig, variant: &str, server: &DevServer) {
    let mailer = Mailer::new(config).unwrap();
    println!("{mailer:?}");
    let message = mailer
        .verification_email(
            "New User <new@example.net>",
            "Sweep",
            "https://example.com/c?t=1",
        )
        .unwrap();
    match mailer.send(message).await {
        Ok(report) => {
            assert_eq!(variant, "Ok");
            println!("{report:?}");
        }
        Err(err) => {
            assert_eq!(variant, "Wrong", "{err}");
            assert_eq!((err.stage(), err.code()), (Stage::Auth, Some(535)));
            println!("{err}\n{err:#?}\n{:?}", err.hint());
        }
    }
    match mailer.test_connection().await {
        Ok(()) => println!("connection test passed"),
        Err(err) => println!("{err}\n{err:?}"),
    }
    if variant == "Ok" {
        login_with_auth_login(server).await;
    }
    for message in server.messages() {
        println!("{message:?}\n{}", String::from_utf8_lossy(&message.data));
    }
    mailer.close_idle().await;
}

/// The Mailer prefers AUTH PLAIN; lettre's transport restricted to AUTH LOGIN sends the
/// password on a line of its own, which the dev server must keep from mailin's log too.
async fn login_with_auth_login(server: &DevServer) {
    use lettre::AsyncTransport;
    use lettre::transport::smtp::authentication::{Credentials, Mechanism};
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};

    let certificate = Certificate::from_pem(server.ca_pem().as_bytes()).unwrap();
    let tls = TlsParameters::builder("localhost".to_owned())
        .add_root_certificate(certificate)
        .build_rustls()
        .unwrap();
    let transport =
        lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("localhost")
            .port(server.port())
            .tls(Tls::Required(tls))
            .credentials(Credentials::new(USER.to_owned(), PASSWORD.to_owned()))
            .authentication(vec![Mechanism::Login])
            .build();
    let message = lettre::Message::builder()
        .from(FROM.parse().unwrap())
        .to("new@example.net".parse().unwrap())
        .subject("AUTH LOGIN")
        .body("Hello.\n".to_owned())
        .unwrap();
    let response = transport.send(message).await.unwrap();
    println!("AUTH LOGIN delivery: {response:?}");
}
