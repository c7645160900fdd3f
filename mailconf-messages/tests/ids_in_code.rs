//! Every catalog id the workspace's code names exists in the catalog: a typo in an id would
//! otherwise show the bare id to a user.
//!
//! An id is any string literal shaped like one (`value-port-zero`: lowercase words joined by
//! hyphens) whose first word starts ids of the catalog (`value`, `loader`, `report` …).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mailconf_messages::{Catalog, Lang};

/// The folders, relative to the workspace root, whose code shows catalog messages.
const CODE: &[&str] = &[
    "mailconf-values/src",
    "mailconf-core/src",
    "mailconf-smtp/src",
    "mailconf-cli/src",
    "examples/settings-page/src",
    "examples/settings-page/assets",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "js" || e == "html")
        {
            out.push(path);
        }
    }
}

/// The string literals of `text` (double- or single-quoted) shaped like ids.
fn id_literals(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        for (i, piece) in text.split(quote).enumerate() {
            let shaped = piece.split('-').count() > 1
                && piece.split('-').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
                && piece.starts_with(|c: char| c.is_ascii_lowercase());
            if i % 2 == 1 && shaped {
                out.push(piece);
            }
        }
    }
    out
}

#[test]
fn every_id_in_the_code_is_in_the_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let catalog = Catalog::get(Lang::En);
    let prefixes: BTreeSet<&str> = catalog
        .ids()
        .into_iter()
        .filter_map(|id| id.split('-').next())
        .collect();
    let mut paths = Vec::new();
    for dir in CODE {
        files(&root.join(dir), &mut paths);
    }
    let mut seen = 0;
    let mut missing = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        for id in id_literals(&text) {
            if !prefixes.contains(id.split('-').next().unwrap()) {
                continue;
            }
            seen += 1;
            if !catalog.has(id) {
                missing.push(format!("{}: {id}", path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ids not in the catalog:\n{}",
        missing.join("\n")
    );
    assert!(
        seen > 100,
        "only {seen} ids found in the code: is the scan broken?"
    );
}

#[test]
fn the_scan_finds_ids_and_ignores_other_words() {
    let code = r#"Message::new("value-port-zero"); let x = "fastapi-mail"; f('loader-remove')"#;
    assert_eq!(
        id_literals(code),
        ["value-port-zero", "fastapi-mail", "loader-remove"]
    );
    assert!(id_literals(r#""Not-an id" "a b-c""#).is_empty());
}
