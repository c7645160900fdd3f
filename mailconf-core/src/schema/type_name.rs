//! The names of value types ([`crate::FromValue::TYPE_NAME`]) as catalog messages.

use mailconf_values::Message;

/// The catalog message that names a value type, such as `port` or `email address`, for a hint
/// ("set MAIL_PORT (port)"); a type the catalog does not know is named as it calls itself.
pub fn type_name_message(type_name: &str) -> Message {
    let id = match type_name {
        "string" => "type-string",
        "path" => "type-path",
        "boolean" => "type-boolean",
        "integer" => "type-integer",
        "number" => "type-number",
        "comma-separated list" => "type-list",
        "duration" => "type-duration",
        "email address" => "type-email",
        "host name or IP address" => "type-host",
        "mailbox (Name <address>)" => "type-mailbox",
        "port" => "type-port",
        "URL" => "type-url",
        "IP address" => "type-ip",
        "IPv4 address" => "type-ipv4",
        "IPv6 address" => "type-ipv6",
        "socket address (IP:port)" => "type-socket",
        "URL (smtp://, smtps://)" => "type-smtp-url",
        "rate (messages/s, /min, /h or /day)" => "type-rate",
        "rate (messages/s, /min, /h or /day; several separated by commas)" => "type-rates",
        "percentage" => "type-percentage",
        "level" => "type-level",
        "wait, local or fail" => "type-wait-local-fail",
        "value" => "type-value",
        "provider (gmail, microsoft365, ses:REGION…: see `mailconf providers`)" => {
            "type-provider"
        }
        _ => return Message::text(type_name),
    };
    Message::new(id)
}
