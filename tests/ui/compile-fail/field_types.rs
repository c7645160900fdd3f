use mailconf_core::{FromValue, MailConfig};

#[derive(FromValue)]
enum WithData {
    Plain,
    Level(u8),
}

#[derive(FromValue)]
struct NotAnEnum {
    name: String,
}

#[derive(MailConfig)]
#[mailconf(prefix = "APP_")]
struct App {
    #[mailconf(default = "example.com")]
    base_url: url::Url,
    #[mailconf(default = "localhost")]
    bind: std::net::IpAddr,
    #[mailconf(default = "127.0.0.1")]
    listen: std::net::SocketAddr,
}

fn main() {
    let _ = App::from_env();
}
