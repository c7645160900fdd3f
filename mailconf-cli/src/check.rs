use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::{Compat, SmtpConfig, SmtpSettings, Warning};
use serde_json::json;

use crate::Failed;
use crate::cli::{CheckArgs, CompatArg};
use crate::settings::effective;

/// `mailconf check` with its options.
pub fn run_with(sources: &Sources, args: &CheckArgs, json: bool) -> Result<(), Failed> {
    let compat = args
        .compat
        .map(|CompatArg::FastapiMail| Compat::FastapiMail);
    if args.strict {
        report(&sources.clone().deny_unknown(), compat, json)
    } else {
        report(sources, compat, json)
    }
}

/// Loads and validates the settings, printing every problem, or the settings and warnings.
pub fn run(sources: &Sources, json: bool) -> Result<(), Failed> {
    report(sources, None, json)
}

fn report(sources: &Sources, compat: Option<Compat>, json: bool) -> Result<(), Failed> {
    let settings = effective(sources);
    let loaded = match compat {
        Some(compat) => SmtpConfig::load_compat(sources, compat),
        None => SmtpConfig::load_with_warnings(sources),
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
                    "warnings": warnings,
                    "errors": [],
                });
                println!("{out:#}");
            } else {
                println!(
                    "Settings OK: {}:{} with {}",
                    endpoint.host, endpoint.port, endpoint.security
                );
                print_settings(&settings);
                print_warnings(&warnings);
            }
            Ok(())
        }
        Err(errors) => {
            if json {
                let out = json!({"ok": false, "config": "SmtpConfig", "settings": settings, "warnings": errors.warnings(), "errors": errors});
                println!("{out:#}");
            } else {
                print!("{errors}");
                print_warnings(errors.warnings());
                print_settings(&settings);
            }
            Err(Failed)
        }
    }
}

fn print_warnings(warnings: &[Warning]) {
    if warnings.is_empty() {
        return;
    }
    let plural = if warnings.len() == 1 { "" } else { "s" };
    println!("\n{} warning{plural}:", warnings.len());
    for w in warnings {
        let origin = w
            .origin
            .as_ref()
            .map(|o| format!(" (set in {o})"))
            .unwrap_or_default();
        println!("  - {}: {}{origin}", w.key, w.message);
        if let Some(hint) = &w.hint {
            println!("    hint: {hint}");
        }
    }
}

fn print_settings(settings: &[crate::settings::Setting]) {
    println!("\nSettings read:");
    let width = settings.iter().map(|s| s.key.len()).max().unwrap_or(0);
    for s in settings {
        let origin = s
            .origin
            .as_ref()
            .map(|o| format!("  ({o})"))
            .unwrap_or_default();
        println!("  {:width$} = {}{origin}", s.key, s.value);
    }
}
