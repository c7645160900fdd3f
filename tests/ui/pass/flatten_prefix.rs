//! Flattened structs: prefixes compose, outer first.
#![deny(warnings)]

use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "SERVER_")]
struct Server {
    host: String,
    #[mailconf(default = 25)]
    port: Port,
}

#[derive(MailConfig)]
#[mailconf(prefix = "APP_")]
struct App {
    #[mailconf(flatten(prefix = "SMTP_"))]
    smtp: Server,
    #[mailconf(flatten)]
    imap: Imap,
}

#[derive(MailConfig)]
#[mailconf(prefix = "IMAP_")]
struct Imap {
    host: String,
}

fn main() {
    let app = App::from_map([
        ("APP_SMTP_SERVER_HOST", "smtp.test"),
        ("APP_IMAP_HOST", "imap.test"),
    ])
    .unwrap();
    assert_eq!(app.smtp.host, "smtp.test");
    assert_eq!(app.smtp.port.get(), 25);
    assert_eq!(app.imap.host, "imap.test");
    let keys: Vec<String> = App::schema().entries().into_iter().map(|e| e.key).collect();
    assert_eq!(
        keys,
        [
            "APP_SMTP_SERVER_HOST",
            "APP_SMTP_SERVER_PORT",
            "APP_IMAP_HOST"
        ]
    );
}
