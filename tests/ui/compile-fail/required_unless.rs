use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_")]
struct Settings {
    url: Option<String>,
    #[mailconf(required_unless = "urll")]
    server: Option<String>,
    #[mailconf(required_unless = "url")]
    port: Port,
    #[mailconf(required_unless = "user")]
    user: Option<String>,
}

fn main() {}
