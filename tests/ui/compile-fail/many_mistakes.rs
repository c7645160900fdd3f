// A newcomer's first try: every mistake is reported in one compile run.
use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefix = "mail")]
struct MailSettings {
    #[mailconf(defualt = 587)]
    port: Port,
    #[mailconf(default = 0)]
    imap_port: Port,
    #[mailconf(env = "MAIL_SERVER")]
    host: String,
    #[mailconf(env = "MAIL_SERVER")]
    server: String,
    #[mailconf(default = true)]
    from_name: Option<String>,
}

fn main() {
    let _ = MailSettings::from_env();
}
