use mailconf_core::MailConfig;

struct Color;

#[derive(MailConfig)]
#[mailconf(prefix = "APP_")]
struct Settings {
    color: Color,
    name: String,
}

fn main() {
    let _ = Settings::from_env();
}
