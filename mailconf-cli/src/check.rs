use mailconf_core::{Error, ErrorKind, Errors, Lang, MailConfig, Message, Sources};
use mailconf_smtp::templates::Templates;
use mailconf_smtp::{Compat, SmtpConfig, SmtpSettings, TemplateError, Warning};
use serde_json::json;

use crate::Failed;
use crate::cli::{CheckArgs, CompatArg};
use crate::settings::effective;

/// `mailconf check` with its options.
pub fn run_with(sources: &Sources, args: &CheckArgs, json: bool, lang: Lang) -> Result<(), Failed> {
    let compat = args
        .compat
        .map(|CompatArg::FastapiMail| Compat::FastapiMail);
    if args.strict {
        report(&sources.clone().deny_unknown(), compat, json, lang)
    } else {
        report(sources, compat, json, lang)
    }
}

/// Loads and validates the settings, printing every problem, or the settings and warnings.
pub fn run(sources: &Sources, json: bool, lang: Lang) -> Result<(), Failed> {
    report(sources, None, json, lang)
}

fn report(sources: &Sources, compat: Option<Compat>, json: bool, lang: Lang) -> Result<(), Failed> {
    let settings = effective(sources, lang);
    let warnings_json =
        |warnings: &[Warning]| json!(warnings.iter().map(|w| w.in_lang(lang)).collect::<Vec<_>>());
    let loaded = match compat {
        Some(compat) => SmtpConfig::load_compat(sources, compat),
        None => SmtpConfig::load_with_warnings(sources),
    };
    // A template that does not load stops the Mailer at start-up: one more problem to report.
    let loaded = match (loaded, template_problem(sources)) {
        (loaded, None) => loaded,
        (Ok(loaded), Some(problem)) => {
            let mut errors = Errors::new(problem);
            errors.set_config_name("SmtpConfig");
            let mut warnings = loaded.warnings;
            warnings.extend(loaded.value.warnings());
            errors.set_warnings(warnings);
            Err(errors)
        }
        (Err(mut errors), Some(problem)) => {
            errors.push(problem);
            Err(errors)
        }
    };
    match loaded {
        Ok(loaded) => {
            // The load's notes (unknown keys it ignores, an old key next to its new name), then
            // the config's own (certificate checks off…).
            let config = loaded.value;
            let mut warnings = loaded.warnings;
            warnings.extend(config.warnings());
            let endpoint = config.endpoint();
            if json {
                let out = json!({
                    "ok": true,
                    "config": "SmtpConfig",
                    "endpoint": {"host": endpoint.host.to_string(), "port": endpoint.port.get(), "security": endpoint.security},
                    "settings": settings,
                    "warnings": warnings_json(&warnings),
                    "errors": [],
                });
                outln!("{out:#}");
            } else {
                let ok = Message::new("cli-check-ok")
                    .arg("host", endpoint.host.to_string())
                    .arg("port", endpoint.port.get())
                    .arg("mode", endpoint.security.name());
                outln!("{}", ok.render(lang));
                print_settings(&settings, lang);
                print_warnings(&warnings, lang);
            }
            Ok(())
        }
        Err(errors) => {
            if json {
                let out = json!({"ok": false, "config": "SmtpConfig", "settings": settings, "warnings": warnings_json(errors.warnings()), "errors": errors.in_lang(lang)});
                outln!("{out:#}");
            } else {
                out!("{}", errors.in_lang(lang));
                print_warnings(errors.warnings(), lang);
                print_settings(&settings, lang);
            }
            Err(Failed)
        }
    }
}

/// The error of the templates of `TEMPLATE_FOLDER`, parsed as the Mailer does at start-up: a
/// syntax error (with its file and line), or an override of the verification email that fails
/// with its values. Keyed to `TEMPLATE_FOLDER` as the sources spell it, with where it was set.
fn template_problem(sources: &Sources) -> Option<Error> {
    let entry = sources.get_any_case("TEMPLATE_FOLDER")?;
    let folder = entry.value().ok().filter(|f| !f.trim().is_empty())?;
    let error = Templates::from_folder(folder).err()?;
    let message = match &error {
        // A folder that is missing or unreadable is the Mailer's to report when it starts: a
        // check may run where the templates are not deployed (fastapi-mail's compat check).
        TemplateError::Folder { .. } => return None,
        TemplateError::Syntax { name, line, reason } => Message::new("check-template-syntax")
            .arg("name", name.clone())
            .arg("line", *line)
            .arg("reason", reason.clone()),
        other => Message::new("check-template-error").arg("error", other.to_string()),
    };
    let kind = ErrorKind::InvalidValue {
        detail: "invalid_template",
    };
    Some(
        Error::new(kind, entry.key(), message)
            .with_origin(entry.origin().clone())
            .with_input(folder, false)
            .with_hint(Message::new("check-template-hint")),
    )
}

fn print_warnings(warnings: &[Warning], lang: Lang) {
    if warnings.is_empty() {
        return;
    }
    let header = Message::new("cli-warnings-header").arg("count", warnings.len());
    outln!("\n{}", header.render(lang));
    for w in warnings {
        let origin = w
            .origin
            .as_ref()
            .map(|o| {
                let text = Message::new("warning-set-in").arg("origin", o.text(lang));
                format!(" {}", text.render(lang))
            })
            .unwrap_or_default();
        outln!("  - {}: {}{origin}", w.key, w.message.render(lang));
        if let Some(hint) = &w.hint {
            let line = Message::new("report-hint").arg("hint", hint.clone());
            outln!("    {}", line.render(lang));
        }
    }
}

fn print_settings(settings: &[crate::settings::Setting], lang: Lang) {
    outln!("\n{}", Message::new("cli-settings-read").render(lang));
    let width = settings.iter().map(|s| s.key.len()).max().unwrap_or(0);
    for s in settings {
        let origin = s
            .origin
            .as_ref()
            .map(|o| format!("  ({})", o.text(lang)))
            .unwrap_or_default();
        outln!("  {:width$} = {}{origin}", s.key, s.value);
    }
}
