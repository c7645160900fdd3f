use mailconf_core::MailConfig;

struct Smtp {
    host: String,
}

#[derive(MailConfig)]
struct Settings {
    #[mailconf(flatten)]
    smtp: Smtp,
}

fn main() {
    let _ = Settings::from_env();
}
