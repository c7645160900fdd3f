//! The `.env` files `mailconf_core::dotenv_file` writes, read back by the real readers people
//! run: dotenvy, python-dotenv, pydantic-settings, Node's `dotenv` and bash (`set -a; . file`).
//! Each must return exactly every value of a corpus of hostile values.
//!
//! python-dotenv and pydantic-settings come from the test venv (`MAILCONF_PYTHON`), Node's
//! dotenv from `MAILCONF_NODE_DOTENV`; `scripts/setup/*.sh` prepares both. A missing reader
//! makes its test say SKIPPED, and fail under CI.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use mailconf_core::dotenv_file::{edit, quote};

/// Values people type as passwords and sender names, each of which broke some reader once.
const CORPUS: &[&str] = &[
    "",
    "plain",
    "O'Brien's App",
    "it's",
    "''",
    "'quoted'",
    "a'b'c",
    "\"double\"",
    "say \"hi\"",
    r"back\slash",
    r"C:\path\to\file",
    r"\n is not a line break",
    r"\t\r\x41",
    r#"\"not an escape"#,
    "$HOME",
    "$",
    "price: $5",
    "${",
    "${HOME",
    "$HOME}",
    "${a:b}",
    "$(whoami)",
    "`id`",
    "# not a comment",
    "pass#word",
    " #lead",
    "  spaces  ",
    "trailing ",
    " leading",
    " ",
    "\t",
    "tab\there",
    "=x=",
    "a=b",
    "KEY=VALUE",
    "export X=1",
    "a;b&c|d>e<f",
    "*?[]~!{}%^",
    "ünïcödé ✓ 🚀",
    "한국어 비밀번호",
    "nbsp\u{a0}and\u{2028}line sep\u{2029}",
    "Pw-9xQ'distinctive-Zk27-never-echoed",
];

fn ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// Says SKIPPED (or fails under CI) and returns true when `missing` is set.
fn skipped(reader: &str, missing: Option<String>) -> bool {
    let Some(why) = missing else { return false };
    let line = format!(
        "SKIPPED: the {reader} reader test did not run: {why} (run scripts/test-all.sh, whose scripts/setup/ installs it)"
    );
    assert!(!ci(), "{line}; under CI every reader must run");
    let _ = writeln!(std::io::stderr(), "{line}");
    true
}

fn key(i: usize) -> String {
    format!("MAILCONF_T{i}")
}

/// A file holding every corpus value, between foreign lines that must not disturb them, in a
/// fresh temporary folder that lives as long as the returned `TempDir`.
fn corpus_file() -> (tempfile::TempDir, PathBuf) {
    let mut text = String::from("# written by dotenv_readers.rs\nFOREIGN=keep # comment\n\n");
    let changes: Vec<(String, String)> = CORPUS
        .iter()
        .enumerate()
        .map(|(i, v)| (key(i), (*v).to_owned()))
        .collect();
    let borrowed: Vec<(&str, Option<&str>)> = changes
        .iter()
        .map(|(k, v)| (k.as_str(), Some(v.as_str())))
        .collect();
    text = edit(&text, &borrowed).expect("every corpus value is writable");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.env");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn assert_corpus(reader: &str, read: &BTreeMap<String, String>) {
    for (i, value) in CORPUS.iter().enumerate() {
        let got = read.get(&key(i));
        assert_eq!(
            got.map(String::as_str),
            Some(*value),
            "{reader} read {} back wrong; written as {}",
            key(i),
            quote(value).unwrap()
        );
    }
    assert_eq!(
        read.get("FOREIGN").map(String::as_str),
        Some("keep"),
        "{reader}"
    );
}

/// Runs `program` and parses its standard output as a JSON object of strings.
fn json_map(mut command: Command) -> BTreeMap<String, String> {
    let output = command.output().expect("run the reader");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON object of strings")
}

fn python() -> Result<PathBuf, String> {
    std::env::var_os("MAILCONF_PYTHON")
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .ok_or_else(|| "MAILCONF_PYTHON (the test venv) is not set".to_owned())
}

/// A clean environment: the values must come from the file, and python-dotenv must find no
/// variable to substitute.
fn clean(program: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command
}

fn python_with(module: &str) -> Option<PathBuf> {
    let python = match python() {
        Ok(p) => p,
        Err(why) => {
            skipped(module, Some(why));
            return None;
        }
    };
    let ok = clean(&python)
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if skipped(
        module,
        (!ok).then(|| format!("{} cannot import {module}", python.display())),
    ) {
        return None;
    }
    Some(python)
}

#[test]
fn dotenvy_reads_the_corpus_back() {
    let (_dir, path) = corpus_file();
    let read = dotenvy::from_path_iter(&path)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_corpus("dotenvy", &read);
}

#[test]
fn python_dotenv_reads_the_corpus_back() {
    let Some(python) = python_with("dotenv") else {
        return;
    };
    let (_dir, path) = corpus_file();
    let mut command = clean(&python);
    command.args([
        "-c",
        "import dotenv, json, sys; print(json.dumps(dotenv.dotenv_values(sys.argv[1])))",
    ]);
    command.arg(&path);
    assert_corpus("python-dotenv", &json_map(command));
}

#[test]
fn pydantic_settings_reads_the_corpus_back() {
    let Some(python) = python_with("pydantic_settings") else {
        return;
    };
    let (_dir, path) = corpus_file();
    // As a fastapi-mail application declares its settings: one `str` field per variable.
    let script = r#"
import json, sys
from pydantic import create_model
from pydantic_settings import BaseSettings, SettingsConfigDict
keys = sys.argv[2:]
Base = type("Base", (BaseSettings,), {"model_config": SettingsConfigDict(env_file=sys.argv[1], extra="ignore")})
Model = create_model("Mail", __base__=Base, **{k: (str, ...) for k in keys})
print(json.dumps(Model().model_dump()))
"#;
    let mut command = clean(&python);
    command.args(["-c", script]).arg(&path);
    command.args((0..CORPUS.len()).map(key)).arg("FOREIGN");
    assert_corpus("pydantic-settings", &json_map(command));
}

#[test]
fn node_dotenv_reads_the_corpus_back() {
    let dir_var = std::env::var_os("MAILCONF_NODE_DOTENV").map(PathBuf::from);
    let node = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("node"))
            .find(|p| p.is_file())
    });
    let missing = match (&dir_var, &node) {
        (None, _) => Some("MAILCONF_NODE_DOTENV (npm's dotenv) is not set".to_owned()),
        (_, None) => Some("node is not installed".to_owned()),
        _ => None,
    };
    if skipped("Node dotenv", missing) {
        return;
    }
    let (Some(module_dir), Some(node)) = (dir_var, node) else {
        unreachable!()
    };
    let (_dir, path) = corpus_file();
    // config(): what an application calls; into a fresh object, not the process environment.
    let script = "const d = require(process.argv[1] + '/node_modules/dotenv'); \
                  const env = {}; const r = d.config({ path: process.argv[2], processEnv: env, quiet: true }); \
                  if (r.error) throw r.error; process.stdout.write(JSON.stringify(env));";
    let mut command = clean(&node);
    command
        .args(["-e", script, "--"])
        .arg(&module_dir)
        .arg(&path);
    assert_corpus("Node dotenv", &json_map(command));
}

#[test]
fn bash_reads_the_corpus_back() {
    let (_dir, path) = corpus_file();
    let output = clean(Path::new("bash"))
        .args(["-c", "set -a; . \"$1\"; env -0", "bash"])
        .arg(&path)
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = output
        .stdout
        .split(|b| *b == 0)
        .filter_map(|pair| {
            let pair = String::from_utf8(pair.to_vec()).ok()?;
            let (k, v) = pair.split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect();
    assert_corpus("bash", &read);
}
