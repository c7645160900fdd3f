//! A mistake in the attributes is the only error: the hook's partial struct still exists.
use mailconf_core::{MailConfig, Port, Problems};

#[derive(MailConfig)]
#[mailconf(prefix = "MAIL_", validate = check)]
struct MailSettings {
    #[mailconf(defualt = 587)]
    port: Port,
    starttls: bool,
}

fn check(settings: &MailSettingsPartial) -> Result<(), Problems> {
    let _ = (settings.port, settings.starttls);
    Ok(())
}

fn main() {
    let _ = MailSettings::from_env();
}
