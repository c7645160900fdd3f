use std::time::Duration;

use mailconf_core::{MailConfig, Port};

struct NoDefault(u8);

impl mailconf_core::FromValue for NoDefault {
    const TYPE_NAME: &'static str = "level";
    fn from_value(raw: &str) -> Result<Self, mailconf_core::Invalid> {
        raw.parse()
            .map(NoDefault)
            .map_err(|_| mailconf_core::Invalid::new("bad", "bad"))
    }
}

#[derive(MailConfig)]
struct MailSettings {
    #[mailconf(default = Duration::from_secs(5))]
    port: Port,
    #[mailconf(default)]
    level: NoDefault,
}

fn main() {
    let _ = MailSettings::from_env();
}
