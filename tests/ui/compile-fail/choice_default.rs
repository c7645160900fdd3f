use mailconf_core::{FromValue, MailConfig};

#[derive(FromValue)]
enum Format {
    Text,
    #[mailconf(alias = "ndjson")]
    Json,
}

#[derive(MailConfig)]
#[mailconf(prefix = "APP_")]
struct App {
    #[mailconf(default = "json")]
    format: Format,
    #[mailconf(default = "yaml")]
    fallback: Format,
}

fn main() {
    let _ = App::from_env();
}
