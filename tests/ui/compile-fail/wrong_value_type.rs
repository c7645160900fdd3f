use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = 5, validate = "check")]
struct MailSettings {
    #[mailconf(env = MAIL_PORT)]
    port: Port,
    #[mailconf(secret = true)]
    password: String,
    #[mailconf(flatten = "SMTP_")]
    smtp: Smtp,
    #[mailconf(alias)]
    server: String,
}

#[derive(MailConfig)]
struct Smtp {
    host: String,
}

fn check(_: &MailSettings) -> Result<(), mailconf_core::Problems> {
    Ok(())
}

fn main() {
    let _ = MailSettings::from_env();
}
