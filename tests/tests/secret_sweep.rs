//! Secret sweep: a distinctive password, set through the environment, a `.env` file,
//! `MAIL_PASSWORD_FILE` and `MAIL_URL`, must not appear in anything the libraries print.
//!
//! Each case runs in a child process (`mailconf_tests::sweep`: this test binary again, running
//! `sweep_child`), so that the environment is set with `Command::env` and a global `tracing`
//! subscriber can record everything at TRACE level, `log` records included (the dev server's
//! `mailin` logs every SMTP line through `log`). The child loads `SmtpConfig`, prints its `Debug`, warnings, errors
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

use mailconf_tests::sweep::{self, base64, base64_inside};
use std::path::Path;
use std::process::Output;

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{SmtpConfig, SmtpSettings, Stage};

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
    let outputs = sweep::run_cases(&cases, |&case, port| child(case, port, dir.path()));
    let forms = forbidden_forms();
    for (&(source, variant), output) in cases.iter().zip(outputs) {
        let case = format!("{source:?}/{variant:?}");
        let all = sweep::finished(&case, &output, DONE);
        sweep::assert_none_in(&case, &all, &forms);
        // The capture works: mailin's TRACE lines and the mailer's DEBUG lines are recorded.
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

    let mut command = sweep::child_command("sweep_child");
    command
        .env("MAILCONF_SWEEP", format!("{source:?}/{variant:?}"))
        .env("MAILCONF_SWEEP_PORT", port.to_string());
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
        ("the password, raw", PASSWORD.to_owned()),
        ("the password, percent-encoded", PASSWORD_IN_URL.to_owned()),
        (
            "the password, percent-encoded in lower case",
            PASSWORD_IN_URL.to_lowercase(),
        ),
        (
            "the password as AUTH LOGIN sends it",
            base64(PASSWORD.as_bytes()),
        ),
        (
            "the password in an AUTH PLAIN blob",
            base64(format!("\0{USER}\0{PASSWORD}").as_bytes()),
        ),
    ];
    // The password inside any longer base64 text, at each of the three alignments.
    for form in base64_inside(PASSWORD.as_bytes()) {
        forms.push(("the password in base64, any alignment", form));
    }
    forms
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
    sweep::child("MAILCONF_SWEEP", DONE, |case| async move {
        password_sweep(&case).await;
    });
}

async fn password_sweep(case: &str) {
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
    let mailer = sweep::send_and_print(config, variant, |err| {
        assert_eq!((err.stage(), err.code()), (Stage::Auth, Some(535)));
    })
    .await;
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
