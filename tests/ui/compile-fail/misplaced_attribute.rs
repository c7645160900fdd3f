use mailconf_core::MailConfig;

#[derive(MailConfig)]
#[mailconf(rename = "MAIL", env = "MAIL_SETTINGS")]
struct MailSettings {
    #[mailconf(rename_all = "UPPERCASE")]
    from_name: String,
}

fn main() {
    let _ = MailSettings::from_env();
}
