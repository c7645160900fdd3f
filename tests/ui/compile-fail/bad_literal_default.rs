use std::time::Duration;

use mailconf_core::{EmailAddress, MailConfig, Port, Secret};

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_")]
struct MailSettings {
    #[mailconf(default = 0)]
    port: Port,
    #[mailconf(default = 70000)]
    imap_port: Port,
    #[mailconf(default = "not an email")]
    from: EmailAddress,
    #[mailconf(default = "30 sec")]
    timeout: Duration,
    #[mailconf(default = "yes")]
    starttls: bool,
    #[mailconf(default = 587)]
    server: String,
    #[mailconf(default = 300)]
    retries: u8,
    #[mailconf(default = "1234")]
    pin: Secret<u16>,
}

fn main() {
    let _ = MailSettings::from_env();
}
