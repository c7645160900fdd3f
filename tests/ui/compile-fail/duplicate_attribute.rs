use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_")]
#[mailconf(prefix = "SMTP_")]
struct MailSettings {
    #[mailconf(env = "SMTP_PORT", env = "MAIL_PORT")]
    port: Port,
    #[mailconf(default = "localhost")]
    #[mailconf(default = "smtp.example.com")]
    server: String,
}

fn main() {
    let _ = MailSettings::from_env();
}
