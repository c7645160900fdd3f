//! `mailconf migrate --env-file PATH [--write]`: the file rewritten to fastapi-mail's keys.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use mailconf_smtp::migrate::{Migration, rewrite};
use serde_json::json;

use crate::Failed;
use crate::cli::MigrateArgs;

pub fn run(env_file: Option<&Path>, args: &MigrateArgs, json: bool) -> Result<(), Failed> {
    let Some(path) = env_file else {
        eprintln!("error: migrate needs the file to rewrite: mailconf migrate --env-file PATH");
        return Err(Failed);
    };
    let text = fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        Failed
    })?;
    let migration = rewrite(&text).map_err(|e| {
        eprintln!("error: {}: {e}", path.display());
        Failed
    })?;
    let written = if args.write && !migration.changes.is_empty() {
        Some(write(path, &migration.text)?)
    } else {
        None
    };
    if json {
        let changes: Vec<_> = migration
            .changes
            .iter()
            .map(|c| json!({"key": c.key, "dialect": c.dialect, "action": c.action}))
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
    tell(path, &migration, written.as_deref());
    if written.is_none() {
        out!("{}", migration.text);
    }
    Ok(())
}

/// What changed, on standard error (the file itself may go to standard output).
fn tell(path: &Path, migration: &Migration, backup: Option<&Path>) {
    if migration.changes.is_empty() {
        eprintln!(
            "nothing to migrate: {} has no other library's mail settings",
            path.display()
        );
        return;
    }
    for change in &migration.changes {
        eprintln!("  - {change}");
    }
    if let Some(backup) = backup {
        eprintln!(
            "wrote {} (the original is in {})",
            path.display(),
            backup.display()
        );
    }
}

/// Saves `PATH.bak`, then replaces the file at once (a temporary file renamed over it) with
/// the same permissions.
fn write(path: &Path, text: &str) -> Result<PathBuf, Failed> {
    let fail = |what: &str, e: std::io::Error| {
        eprintln!("error: cannot {what}: {e}");
        Failed
    };
    let mut backup = path.as_os_str().to_owned();
    backup.push(".bak");
    let backup = PathBuf::from(backup);
    fs::copy(path, &backup).map_err(|e| fail(&format!("save {}", backup.display()), e))?;
    let permissions = fs::metadata(path)
        .map_err(|e| fail(&format!("read {}", path.display()), e))?
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
        return Err(fail(&format!("replace {}", path.display()), e));
    }
    Ok(backup)
}
