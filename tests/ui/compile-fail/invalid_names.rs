use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "mail_")]
struct MailSettings {
    #[mailconf(env = "SMTP PORT")]
    port: Port,
    #[mailconf(alias = "smtp-server")]
    server: String,
    #[mailconf(renamed_from = "2FA_CODE")]
    code: String,
    #[mailconf(rename = "FRÖM")]
    from: String,
    größe: u32,
    #[mailconf(flatten(prefix = "imap."))]
    imap: Imap,
}

#[derive(MailConfig)]
struct Imap {
    host: String,
}

fn main() {
    let _ = MailSettings::from_env();
}
