use mailconf_core::MailConfig;

#[derive(MailConfig)]
struct MailSettings;

fn main() {
    let _ = MailSettings::from_env();
}
