//! Keys other mail libraries read for the settings of [`crate::SmtpConfig`]: one table, data
//! only. Set under the `MAIL_` prefix, each is an error naming the fastapi-mail key to set
//! instead, because ignoring it would silently drop the setting it was meant for (Flask-Mail's
//! `MAIL_USE_TLS=true` ignored means no TLS); "did you mean" never suggests for them. Outside the
//! prefix (Django's `EMAIL_*`, which a Django app may well read), a key is named only in the hint
//! of the setting it stands for when that one is missing.

use mailconf_core::ForeignKey;

const fn row(
    key: &'static str,
    dialect: &'static str,
    setting: &'static str,
    instead: &'static str,
) -> ForeignKey {
    ForeignKey {
        key,
        dialect,
        instead,
        setting,
    }
}

const FLASK: &str = "Flask-Mail";
const LARAVEL: &str = "Laravel";
const DJANGO: &str = "Django";

/// Flask-Mail's, Laravel's and Django's keys, with the fastapi-mail equivalent.
pub(crate) const FOREIGN_KEYS: &[ForeignKey] = &[
    row(
        "MAIL_USE_TLS",
        FLASK,
        "MAIL_STARTTLS",
        "MAIL_STARTTLS=true (port 587)",
    ),
    row(
        "MAIL_USE_SSL",
        FLASK,
        "MAIL_SSL_TLS",
        "MAIL_SSL_TLS=true (port 465)",
    ),
    row(
        "MAIL_DEFAULT_SENDER",
        FLASK,
        "MAIL_FROM",
        "MAIL_FROM (and MAIL_FROM_NAME for the display name)",
    ),
    row(
        "MAIL_SUPPRESS_SEND",
        FLASK,
        "SUPPRESS_SEND",
        "SUPPRESS_SEND",
    ),
    row(
        "MAIL_MAX_EMAILS",
        FLASK,
        "",
        "MAIL_RATE_LIMIT, such as 100/1m",
    ),
    row("MAIL_HOST", LARAVEL, "MAIL_SERVER", "MAIL_SERVER"),
    row(
        "MAIL_ENCRYPTION",
        LARAVEL,
        "",
        "MAIL_STARTTLS=true for tls (port 587) or MAIL_SSL_TLS=true for ssl (port 465)",
    ),
    row(
        "MAIL_MAILER",
        LARAVEL,
        "",
        "nothing: mailconf always sends over SMTP (remove MAIL_MAILER)",
    ),
    row("MAIL_FROM_ADDRESS", LARAVEL, "MAIL_FROM", "MAIL_FROM"),
    row("EMAIL_HOST", DJANGO, "MAIL_SERVER", "MAIL_SERVER"),
    row("EMAIL_PORT", DJANGO, "MAIL_PORT", "MAIL_PORT"),
    row("EMAIL_HOST_USER", DJANGO, "MAIL_USERNAME", "MAIL_USERNAME"),
    row(
        "EMAIL_HOST_PASSWORD",
        DJANGO,
        "MAIL_PASSWORD",
        "MAIL_PASSWORD",
    ),
    row(
        "EMAIL_USE_TLS",
        DJANGO,
        "MAIL_STARTTLS",
        "MAIL_STARTTLS=true (port 587)",
    ),
    row(
        "EMAIL_USE_SSL",
        DJANGO,
        "MAIL_SSL_TLS",
        "MAIL_SSL_TLS=true (port 465)",
    ),
    row("DEFAULT_FROM_EMAIL", DJANGO, "MAIL_FROM", "MAIL_FROM"),
];
