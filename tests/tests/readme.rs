//! The README's "Use it in your project", followed as a new user would: a new cargo project with
//! exactly the README's `[dependencies]` lines (the `mailconf-*` ones pointed at this workspace,
//! their README version still checked) and the README's program as `src/main.rs`, built offline
//! and run against the development server.
//!
//! The project is built into `target/readme-project`, kept between runs, so only the first run
//! compiles its dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mailconf_smtp::dev_server::DevServer;

const SECTION: &str = "## Use it in your project";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The section's first fenced block whose info string starts with `lang`.
fn code_block(section: &str, lang: &str) -> String {
    let mut lines = section.lines();
    lines
        .by_ref()
        .find(|l| {
            l.strip_prefix("```")
                .is_some_and(|info| info.starts_with(lang))
        })
        .unwrap_or_else(|| panic!("no ```{lang} block under {SECTION:?} in README.md"));
    let block: Vec<&str> = lines.take_while(|l| !l.starts_with("```")).collect();
    block.join("\n") + "\n"
}

/// The README's `[dependencies]`, with each `mailconf-x = "V"` pointed at the workspace crate
/// while keeping `V`, so that cargo checks the README's version against the crate's.
fn manifest(toml: &str, root: &Path) -> String {
    let mut out = String::from(
        "[package]\nname = \"readme-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n",
    );
    let mut pointed = 0;
    for line in toml.lines() {
        match line.split_once(" = ") {
            Some((name, version)) if name.starts_with("mailconf-") => {
                assert!(
                    version.starts_with('"'),
                    "README: write {name} with a plain version: {line}"
                );
                let path = root.join(name);
                assert!(path.is_dir(), "README names {name}, not a workspace crate");
                out.push_str(&format!(
                    "{name} = {{ version = {version}, path = {:?} }}\n",
                    path.display().to_string()
                ));
                pointed += 1;
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    assert!(
        pointed >= 2,
        "the README's dependencies name no mailconf crate:\n{toml}"
    );
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_snippet_builds_as_a_new_project_and_sends_to_the_dev_server() {
    let root = root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let (_, section) = readme
        .split_once(SECTION)
        .unwrap_or_else(|| panic!("README.md has no {SECTION:?}"));
    let section = section.split("\n## ").next().unwrap();

    let project = tempfile::tempdir().unwrap();
    let manifest = manifest(&code_block(section, "toml"), &root);
    std::fs::write(project.path().join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file: the same versions, all already downloaded, so `--offline` works.
    std::fs::copy(root.join("Cargo.lock"), project.path().join("Cargo.lock")).unwrap();
    std::fs::create_dir(project.path().join("src")).unwrap();
    std::fs::write(
        project.path().join("src/main.rs"),
        code_block(section, "rust"),
    )
    .unwrap();

    let target = root.join("target/readme-project");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(project.path())
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never")
        // What is tested is that it builds and sends; its debug info would only fill the disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the README's project does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let server = DevServer::builder()
        .user("app@example.com", "readme-password")
        .start()
        .await
        .unwrap();
    let ca_file = server.write_ca_file(project.path()).unwrap();
    let run = Command::new(target.join("debug/readme-app"))
        .env_clear()
        .envs([
            ("MAIL_SERVER", "localhost".to_owned()),
            ("MAIL_PORT", server.port().to_string()),
            ("MAIL_STARTTLS", "true".to_owned()),
            ("MAIL_SSL_TLS", "false".to_owned()),
            ("MAIL_USERNAME", "app@example.com".to_owned()),
            ("MAIL_PASSWORD", "readme-password".to_owned()),
            ("MAIL_FROM", "app@example.com".to_owned()),
            ("MAIL_CA_FILE", ca_file.display().to_string()),
            ("APP_BASE_URL", "https://app.example.com".to_owned()),
        ])
        .output()
        .unwrap();
    let stdout = mailconf_tests::text::succeeded(&run, "the README's program");
    assert!(stdout.starts_with("sent: 250"), "{stdout}");

    let received = server.wait_for_messages(1, Duration::from_secs(10)).await;
    let message = received
        .first()
        .expect("the dev server received the message");
    assert_eq!(message.rcpt_to, ["new.user@example.com"]);
    assert_eq!(message.auth_user.as_deref(), Some("app@example.com"));
    assert!(message.tls, "sent over STARTTLS");
    let body = String::from_utf8_lossy(&message.data);
    assert!(
        body.contains("https://app.example.com/verify"),
        "APP_BASE_URL was used in the link:\n{body}"
    );
    server.shutdown().await;
}
