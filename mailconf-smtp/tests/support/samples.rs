//! The sample `.env` files of other libraries in `mailconf-smtp/tests/data/dialects`, shared by
//! the suites that read them (mailconf-cli's includes this file by path): each one's name, the
//! foreign keys it sets in file order, and its password, which must never be shown.
#![allow(dead_code)]

use std::path::PathBuf;

/// One sample file.
pub struct Sample {
    /// The file's name without `.env`.
    pub name: &'static str,
    /// The keys of another library it sets, in file order.
    pub foreign: &'static [&'static str],
    /// Its password (a secret to the loader: in no message, ever).
    pub password: &'static str,
}

/// Every sample: our seed article's settings (Flask-Mail's TLS flags on port 465), then one
/// file for each library whose keys mailconf explains.
pub const SAMPLES: [Sample; 6] = [
    Sample {
        name: "seed",
        foreign: &["MAIL_USE_TLS", "MAIL_USE_SSL"],
        password: "seed-secret-0",
    },
    Sample {
        name: "flask",
        foreign: &[
            "MAIL_USE_TLS",
            "MAIL_USE_SSL",
            "MAIL_DEFAULT_SENDER",
            "MAIL_MAX_EMAILS",
            "MAIL_SUPPRESS_SEND",
            "MAIL_ASCII_ATTACHMENTS",
        ],
        password: "flask-secret-1",
    },
    Sample {
        name: "django",
        foreign: &[
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD",
            "EMAIL_USE_SSL",
            "EMAIL_TIMEOUT",
            "DEFAULT_FROM_EMAIL",
        ],
        password: "django-secret-2",
    },
    Sample {
        name: "laravel",
        foreign: &[
            "MAIL_MAILER",
            "MAIL_HOST",
            "MAIL_ENCRYPTION",
            "MAIL_FROM_ADDRESS",
        ],
        password: "laravel-secret-3",
    },
    Sample {
        name: "symfony",
        foreign: &["MAILER_DSN"],
        password: "symfony/secret-4",
    },
    Sample {
        name: "node",
        foreign: &[
            "SMTP_HOST",
            "SMTP_PORT",
            "SMTP_SECURE",
            "SMTP_USER",
            "SMTP_PASS",
            "SMTP_FROM",
        ],
        password: "node-secret-5",
    },
];

/// The path of the sample `name`.
pub fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../mailconf-smtp/tests/data/dialects")
        .join(format!("{name}.env"))
}

/// The text of the sample `name`.
pub fn text(name: &str) -> String {
    std::fs::read_to_string(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}
