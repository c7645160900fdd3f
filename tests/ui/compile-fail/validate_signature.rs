use mailconf_core::{MailConfig, Port};

#[derive(MailConfig)]
#[mailconf(validate = check_settings)]
struct MailSettings {
    #[mailconf(validate = check_port)]
    port: Port,
}

fn check_port(port: Port) -> bool {
    port.get() != 25
}

fn check_settings(_: &MailSettingsPartial) -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = MailSettings::from_env();
}
