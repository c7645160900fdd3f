//! The README's demo command, `cargo run --example quickstart`, works: the example (built by
//! `cargo test` alongside the tests) is run and its output checked.

use std::path::PathBuf;
use std::process::Command;

fn example() -> PathBuf {
    // target/<profile>/deps/quickstart-<hash> -> target/<profile>/examples/quickstart
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    deps.parent()
        .unwrap()
        .join("examples")
        .join(format!("quickstart{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn the_quickstart_sends_and_reports() {
    let out = Command::new(example())
        .env_clear()
        .output()
        .expect("the quickstart example is built by cargo test");
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
