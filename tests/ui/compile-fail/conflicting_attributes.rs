use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_")]
struct MailSettings {
    #[mailconf(skip, env = "MAIL_CACHE")]
    cache: Vec<String>,
    #[mailconf(default = "Mail bot")]
    from_name: Option<String>,
    #[mailconf(flatten, default)]
    smtp: Smtp,
    #[mailconf(flatten(prefix = "IMAP_"), secret)]
    imap: Smtp,
    #[mailconf(env = "SMTP_PORT", rename = "PORT")]
    port: Port,
}

#[derive(MailConfig, Default)]
struct Smtp {
    password: String,
}

fn main() {
    let _ = MailSettings::from_env();
}
