//! The README's first command, `cargo run -p quickstart`, works: the binary (built by `cargo
//! test` alongside the tests) is run and its output checked.

use std::process::Command;

/// The README's first command is this package's: `cargo run -p quickstart`.
#[test]
fn the_readme_runs_this_package_first() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let first = readme
        .lines()
        .skip_while(|l| !l.starts_with("```sh"))
        .nth(1)
        .expect("a ```sh block in README.md");
    assert_eq!(first, "cargo run -p quickstart");
}

#[test]
fn the_quickstart_sends_and_reports() {
    let out = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env_clear()
        .output()
        .expect("cargo test builds the quickstart binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "with STARTTLS, login app@example.com, password [redacted]",
        "the server answered 250",
        "logged in as \"app@example.com\", over TLS: true",
        "4 problems in SmtpConfig:",
        "MAIL_TLS: MAIL_TLS was renamed to MAIL_STARTTLS",
        "MAIL_STARTTLS and MAIL_SSL_TLS are both true",
        "port 465 expects TLS from the first byte",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("quickstart-password") && !stdout.contains("hunter2-never-shown"),
        "{stdout}"
    );
}
