//! The generated code names everything by its full path, so a crate's own `Result`, `Option`,
//! `Some`, `Ok`, `Box`, `String` or `Default` do not break it.
#![deny(warnings)]
#![allow(non_camel_case_types, dead_code, clippy::all)]

use mailconf_core::MailConfig;

struct Result;
struct Option;
struct Some;
struct Ok;
struct Box;
struct String;
struct None;
trait Default {}
mod core {}
mod std {}

#[derive(MailConfig)]
#[mailconf(prefix = "P_")]
struct Settings {
    name: ::std::string::String,
    maybe: ::core::option::Option<u16>,
    #[mailconf(default)]
    count: u32,
    #[mailconf(default = 5)]
    five: u8,
    #[mailconf(skip)]
    skipped: u8,
}

fn main() {
    let settings = Settings::from_map([("P_NAME", "n")]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(settings.name, "n");
    assert_eq!(settings.maybe, ::core::option::Option::None);
    assert_eq!((settings.count, settings.five, settings.skipped), (0, 5, 0));
}
