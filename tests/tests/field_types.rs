//! Field types beyond mailconf's own: a unit enum (`#[derive(FromValue)]`), `url::Url`, IP and
//! socket addresses, and any `FromStr` type through `Parsed<T>`. Misuse at compile time is in
//! `ui/compile-fail/field_types.rs`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

use mailconf_core::{FromValue, MailConfig, Parsed};
use mailconf_smtp::lettre::Address;
use mailconf_tests::text::assert_has;

/// How logs are written.
#[derive(FromValue, Debug, Clone, Copy, PartialEq, Eq)]
enum LogFormat {
    Text,
    #[mailconf(alias = "ndjson")]
    Json,
    #[mailconf(rename = "gelf")]
    GraylogExtended,
}

/// A type of the application's own, known only through `FromStr`.
#[derive(Debug, PartialEq, Eq)]
struct Ratio(u8, u8);

impl FromStr for Ratio {
    type Err = &'static str;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (a, b) = s
            .split_once(':')
            .ok_or("expected two numbers such as 16:9")?;
        match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) => Ok(Ratio(a, b)),
            _ => Err("expected two whole numbers from 0 to 255, such as 16:9"),
        }
    }
}

/// The application's settings.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_")]
struct App {
    #[mailconf(default = "text")]
    log_format: LogFormat,
    /// An optional choice.
    fallback_format: Option<LogFormat>,
    #[mailconf(default = "https://app.example.com/")]
    base_url: url::Url,
    #[mailconf(default = "127.0.0.1")]
    bind_ip: IpAddr,
    #[mailconf(default = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// `FromStr` of a type mailconf does not know (lettre's address), and of our own.
    admin: Parsed<Address>,
    #[mailconf(default = "16:9")]
    thumbnail_ratio: Parsed<Ratio>,
    trusted_proxies: Vec<IpAddr>,
}

const VALID: [(&str, &str); 2] = [
    ("APP_ADMIN", "admin@example.com"),
    ("APP_TRUSTED_PROXIES", "10.0.0.1, ::1"),
];

#[test]
fn an_app_struct_with_an_enum_a_url_addresses_and_from_str_types_loads() {
    let app = App::from_map(VALID).unwrap();
    assert_eq!(app.log_format, LogFormat::Text);
    assert_eq!(app.fallback_format, None);
    assert_eq!(app.base_url.as_str(), "https://app.example.com/");
    assert_eq!(app.bind_ip, IpAddr::V4(Ipv4Addr::LOCALHOST));
    assert_eq!(app.listen.port(), 8080);
    assert_eq!(app.admin.domain(), "example.com");
    assert_eq!(*app.thumbnail_ratio, Ratio(16, 9));
    assert_eq!(app.trusted_proxies.len(), 2);

    let app = App::from_map([
        ("APP_ADMIN", "admin@example.com"),
        ("APP_TRUSTED_PROXIES", "::1"),
        ("APP_LOG_FORMAT", "GELF"),
        ("APP_FALLBACK_FORMAT", "ndjson"),
        ("APP_BASE_URL", "http://[::1]:3000/app"),
        ("APP_LISTEN", "[::]:443"),
        ("APP_THUMBNAIL_RATIO", "4:3"),
    ])
    .unwrap();
    assert_eq!(app.log_format, LogFormat::GraylogExtended);
    assert_eq!(app.fallback_format, Some(LogFormat::Json));
    assert_eq!(app.base_url.port(), Some(3000));
    assert_eq!(app.listen.port(), 443);
    assert_eq!(app.thumbnail_ratio.into_inner(), Ratio(4, 3));
    assert_eq!(
        app.trusted_proxies,
        [IpAddr::from(std::net::Ipv6Addr::LOCALHOST)]
    );
}

#[test]
fn misuse_of_each_is_an_error_named_by_its_variable() {
    let errors = App::from_map([
        ("APP_ADMIN", "not-an-address"),
        ("APP_TRUSTED_PROXIES", "10.0.0.1,localhost"),
        ("APP_LOG_FORMAT", "yaml"),
        ("APP_BASE_URL", "app.example.com"),
        ("APP_BIND_IP", "localhost"),
        ("APP_LISTEN", "127.0.0.1"),
        ("APP_THUMBNAIL_RATIO", "wide"),
    ])
    .unwrap_err();
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.key(), e.detail().unwrap_or(e.code())))
        .collect();
    assert_eq!(
        found,
        [
            ("APP_LOG_FORMAT", "invalid_choice"),
            ("APP_BASE_URL", "invalid_url"),
            ("APP_BIND_IP", "invalid_ip"),
            ("APP_LISTEN", "invalid_socket_address"),
            ("APP_ADMIN", "invalid_value"),
            ("APP_THUMBNAIL_RATIO", "invalid_value"),
            ("APP_TRUSTED_PROXIES", "invalid_ip"),
        ],
        "{errors}"
    );
    let report = errors.to_string();
    assert_has(
        &report,
        &[
            "expected one of: text, json, gelf",
            "expected two numbers such as 16:9",
            "item 2:",
        ],
    );
}

#[test]
fn the_allowed_values_are_in_the_schema_and_json_schema() {
    let schema = App::schema();
    let log_format = &schema.fields[0];
    assert_eq!(log_format.choices, ["text", "json", "gelf"]);
    assert_eq!(log_format.type_name, "one of text, json, gelf");
    let json = schema.json_schema();
    assert_eq!(
        json["properties"]["APP_LOG_FORMAT"]["enum"],
        serde_json::json!(["text", "json", "gelf"])
    );
    assert_eq!(
        json["properties"]["APP_FALLBACK_FORMAT"]["enum"],
        serde_json::json!(["text", "json", "gelf", null])
    );
    assert!(json["properties"]["APP_BASE_URL"].get("enum").is_none());
    // A missing required choice says what to set.
    let errors = App::from_map([("APP_TRUSTED_PROXIES", "")]).unwrap_err();
    assert!(errors.to_string().contains("APP_ADMIN"), "{errors}");
}
