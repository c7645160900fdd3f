//! `mailconf render`: a template of TEMPLATE_FOLDER rendered with data, printed (subject, text,
//! HTML) instead of sent; and the `--data` argument it shares with `send-test --template`.

use std::path::PathBuf;

use clap::Args;
use mailconf_core::{Lang, Message, Sources};
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

/// `--data`: JSON, or `@FILE` holding JSON; the error in the catalog's words.
pub fn parse_data(raw: &str) -> Result<Value, Message> {
    match raw.strip_prefix('@') {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Message::new("cli-data-unreadable")
                    .arg("path", path)
                    .arg("reason", e.to_string())
            })?;
            serde_json::from_str(&text).map_err(|e| {
                Message::new("cli-data-file-not-json")
                    .arg("path", path)
                    .arg("reason", e.to_string())
            })
        }
        None => serde_json::from_str(raw)
            .map_err(|e| Message::new("cli-data-not-json").arg("reason", e.to_string())),
    }
}

pub fn run(sources: &Sources, json_out: bool, lang: Lang, args: RenderArgs) -> Result<(), Failed> {
    let fail = |message: String| {
        if json_out {
            outln!("{:#}", json!({"ok": false, "message": message}));
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
                return Err(fail(Message::new("cli-render-no-folder").render(lang)));
            }
        },
    };
    let data = parse_data(&args.data).map_err(|m| fail(m.render(lang)))?;
    let templates = Templates::from_folder(&folder).map_err(|e| fail(e.to_string()))?;
    let rendered = templates
        .render(&args.name, &data)
        .map_err(|e| fail(e.to_string()))?;
    if json_out {
        let out = json!({
            "ok": true, "template": args.name, "subject": rendered.subject,
            "text": rendered.text, "html": rendered.html,
        });
        outln!("{out:#}");
    } else {
        outln!(
            "Subject: {}",
            rendered.subject.as_deref().unwrap_or("(none)")
        );
        outln!("----- text -----");
        outln!("{}", rendered.text);
        if let Some(html) = &rendered.html {
            outln!("----- HTML -----");
            outln!("{html}");
        }
    }
    Ok(())
}
