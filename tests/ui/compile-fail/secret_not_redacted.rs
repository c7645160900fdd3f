//! `secret` on a type that prints itself would leak through the user's own `Debug`.
use mailconf_core::{MailConfig, Port, Secret};

#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_")]
struct Settings {
    #[mailconf(secret)]
    password: String,
    #[mailconf(secret)]
    token: Option<String>,
    #[mailconf(secret)]
    pin: Port,
    // Fine: these redact themselves.
    #[mailconf(secret)]
    api_key: Secret<String>,
    #[mailconf(secret)]
    backup_key: Option<Secret<String>>,
}

fn main() {
    let settings = Settings::from_env().unwrap();
    println!("{settings:?}");
}
