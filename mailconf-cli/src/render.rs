//! `mailconf render`: a template of TEMPLATE_FOLDER rendered with data, printed (subject, text,
//! HTML) instead of sent; and the `--data` argument it shares with `send-test --template`.

use std::path::PathBuf;

use clap::Args;
use mailconf_core::Sources;
use mailconf_smtp::templates::Templates;
use serde_json::{Value, json};

use crate::Failed;

/// Options of `mailconf render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The template, by its path inside the folder (`welcome.html`; its `welcome.txt`, when
    /// there is one, is the text part).
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The data: a JSON object (its keys are the template's variables) or list (`body`), or
    /// `@FILE` to read it from a file.
    #[arg(long, value_name = "JSON|@FILE", default_value = "{}")]
    pub data: String,
    /// The template folder; TEMPLATE_FOLDER by default.
    #[arg(long, value_name = "DIR")]
    pub folder: Option<PathBuf>,
}

/// `--data`: JSON, or `@FILE` holding JSON.
pub fn parse_data(raw: &str) -> Result<Value, String> {
    let (text, from) = match raw.strip_prefix('@') {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?,
            format!(" in {path}"),
        ),
        None => (raw.to_owned(), String::new()),
    };
    serde_json::from_str(&text).map_err(|e| format!("--data is not JSON{from}: {e}"))
}

pub fn run(sources: &Sources, json_out: bool, args: RenderArgs) -> Result<(), Failed> {
    let fail = |message: String| {
        if json_out {
            println!("{:#}", json!({"ok": false, "message": message}));
        } else {
            eprintln!("error: {message}");
        }
        Failed
    };
    let folder = match &args.folder {
        Some(folder) => folder.clone(),
        None => match sources.get_any_case("TEMPLATE_FOLDER").map(|e| e.value()) {
            Some(Ok(folder)) if !folder.is_empty() => PathBuf::from(folder),
            _ => {
                return Err(fail(
                    "no template folder: set TEMPLATE_FOLDER or give --folder".to_owned(),
                ));
            }
        },
    };
    let data = parse_data(&args.data).map_err(fail)?;
    let templates = Templates::from_folder(&folder).map_err(|e| fail(e.to_string()))?;
    let rendered = templates
        .render(&args.name, &data)
        .map_err(|e| fail(e.to_string()))?;
    if json_out {
        let out = json!({
            "ok": true, "template": args.name, "subject": rendered.subject,
            "text": rendered.text, "html": rendered.html,
        });
        println!("{out:#}");
    } else {
        println!(
            "Subject: {}",
            rendered.subject.as_deref().unwrap_or("(none)")
        );
        println!("----- text -----");
        println!("{}", rendered.text);
        if let Some(html) = &rendered.html {
            println!("----- HTML -----");
            println!("{html}");
        }
    }
    Ok(())
}
