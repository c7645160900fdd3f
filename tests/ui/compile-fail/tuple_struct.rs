use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_")]
struct MailSettings(String, Port);

fn main() {
    let _ = MailSettings::from_env();
}
