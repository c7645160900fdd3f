//! `mailconf migrate --env-file PATH [--write]`: the file rewritten to fastapi-mail's keys.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use mailconf_core::{Lang, Message};
use mailconf_smtp::migrate::{Migration, rewrite};
use serde_json::json;

use crate::Failed;
use crate::cli::MigrateArgs;

/// An error on standard error, in `lang`: `error: ...`, `오류: ...`.
fn error(lang: Lang, message: Message) -> Failed {
    let line = Message::new("cli-migrate-error").arg("message", message);
    eprintln!("{}", line.render(lang));
    Failed
}

pub fn run(
    env_file: Option<&Path>,
    args: &MigrateArgs,
    json: bool,
    lang: Lang,
) -> Result<(), Failed> {
    let Some(path) = env_file else {
        return Err(error(lang, Message::new("cli-migrate-needs-file")));
    };
    let shown = path.display().to_string();
    let text = fs::read_to_string(path).map_err(|e| {
        let reason = Message::new("cli-migrate-cannot-read")
            .arg("path", shown.as_str())
            .arg("reason", e.to_string());
        error(lang, reason)
    })?;
    let migration = rewrite(&text).map_err(|e| {
        let reason = Message::new("cli-migrate-in-file")
            .arg("path", shown.as_str())
            .arg("problem", e.in_lang(lang));
        error(lang, reason)
    })?;
    let written = if args.write && !migration.changes.is_empty() {
        Some(write(path, &migration.text, lang)?)
    } else {
        None
    };
    if json {
        let changes: Vec<_> = migration
            .changes
            .iter()
            .map(|c| json!({"key": c.key, "dialect": c.dialect, "action": c.action_in(lang)}))
            .collect();
        let mut report = json!({"path": path, "changes": changes});
        match &written {
            Some(backup) => {
                report["written"] = json!(true);
                report["backup"] = json!(backup);
            }
            None => {
                report["written"] = json!(false);
                report["text"] = json!(migration.text);
            }
        }
        outln!("{report:#}");
        return Ok(());
    }
    tell(path, &migration, written.as_deref(), lang);
    if written.is_none() {
        out!("{}", migration.text);
    }
    Ok(())
}

/// What changed, on standard error (the file itself may go to standard output).
fn tell(path: &Path, migration: &Migration, backup: Option<&Path>, lang: Lang) {
    let path = path.display().to_string();
    if migration.changes.is_empty() {
        let nothing = Message::new("cli-migrate-nothing").arg("path", path);
        eprintln!("{}", nothing.render(lang));
        return;
    }
    for change in &migration.changes {
        eprintln!("  - {}", change.in_lang(lang));
    }
    if let Some(backup) = backup {
        let wrote = Message::new("cli-migrate-wrote")
            .arg("path", path)
            .arg("backup", backup.display().to_string());
        eprintln!("{}", wrote.render(lang));
    }
}

/// Saves `PATH.bak`, then replaces the file at once (a temporary file renamed over it) with
/// the same permissions.
fn write(path: &Path, text: &str, lang: Lang) -> Result<PathBuf, Failed> {
    let fail = |what: &'static str, file: &Path, e: std::io::Error| {
        let what = Message::new(what)
            .arg("path", file.display().to_string())
            .arg("reason", e.to_string());
        error(lang, what)
    };
    let mut backup = path.as_os_str().to_owned();
    backup.push(".bak");
    let backup = PathBuf::from(backup);
    fs::copy(path, &backup).map_err(|e| fail("cli-migrate-cannot-save", &backup, e))?;
    let permissions = fs::metadata(path)
        .map_err(|e| fail("cli-migrate-cannot-read", path, e))?
        .permissions();
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".migrate-{}", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        fs::set_permissions(&temporary, permissions)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temporary);
        return Err(fail("cli-migrate-cannot-replace", path, e));
    }
    Ok(backup)
}
