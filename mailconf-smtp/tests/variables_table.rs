//! The table of every variable on the crate's front page (`src/variables.md`) is generated from
//! `SmtpConfig`'s schema; this test fails when the two drift apart. To update the file after
//! changing a field: `MAILCONF_BLESS=1 cargo test -p mailconf-smtp --test variables_table`.

use mailconf_core::MailConfig;
use mailconf_smtp::SmtpConfig;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/variables.md");

fn generated() -> String {
    format!(
        "{}\n{}",
        "Every variable `SmtpConfig` reads (generated from its schema):\n",
        SmtpConfig::schema().markdown()
    )
}

#[test]
fn the_front_page_lists_every_variable_of_the_schema() {
    let expected = generated();
    if std::env::var_os("MAILCONF_BLESS").is_some() {
        std::fs::write(PATH, &expected).unwrap();
    }
    let written = std::fs::read_to_string(PATH).unwrap();
    assert_eq!(
        written, expected,
        "src/variables.md is out of date: run MAILCONF_BLESS=1 cargo test -p mailconf-smtp --test variables_table"
    );
    // Not only equal to itself: every key of the schema is on the page.
    for entry in SmtpConfig::schema().entries() {
        assert!(
            written.contains(&format!("`{}`", entry.key)),
            "{}",
            entry.key
        );
    }
}
