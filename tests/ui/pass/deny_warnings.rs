//! Generated code raises no warning, even under the strictest common lint settings.
#![deny(
    warnings,
    missing_docs,
    unused,
    nonstandard_style,
    rust_2018_idioms,
    unused_qualifications
)]
//! A crate of settings.

use mailconf_core::{MailConfig, Port};

/// Settings.
#[derive(MailConfig, Debug)]
pub struct Settings {
    /// A port.
    #[mailconf(default = 25)]
    pub port: Port,
    /// Nothing to load.
    #[mailconf(skip)]
    pub nothing: (),
}

/// No settings at all.
#[derive(MailConfig, Debug)]
pub struct Empty {}

fn main() {
    let settings = Settings::from_map([("PORT", "26")]).unwrap();
    assert_eq!(settings.port.get(), 26);
    let () = settings.nothing;
    assert!(Empty::from_map(Vec::<(String, String)>::new()).is_ok());
}
