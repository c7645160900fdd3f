use mailconf_core::{MailConfig, Port, Secret};
use std::path::PathBuf;

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_")]
struct MailSettings {
    port: Port,
    #[mailconf(rename = "PORT")]
    smtp_port: Port,
    #[mailconf(env = "MAIL_SERVER")]
    host: String,
    server: String,
    #[mailconf(renamed_from = "MAIL_TLS")]
    starttls: bool,
    #[mailconf(alias = "MAIL_TLS")]
    ssl_tls: bool,
    password: Secret<String>,
    password_file: Option<PathBuf>,
}

fn main() {
    let _ = MailSettings::from_env();
}
