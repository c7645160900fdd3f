use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(prefx = "MAIL_", allow_unknown_keys)]
struct MailSettings {
    #[mailconf(defualt = 587)]
    port: Port,
    #[mailconf(prefix = "SMTP_")]
    server: String,
    #[mailconf(colour = "blue")]
    name: String,
}

fn main() {
    let _ = MailSettings::from_env();
}
