use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_")]
struct MailSettings {
    #[mailconf(alias = "MAIL_PORT", alias = "SMTP_PORT")]
    port: Port,
    #[mailconf(renamed_from = "MAIL_STARTTLS")]
    starttls: bool,
}

fn main() {
    let _ = MailSettings::from_env();
}
