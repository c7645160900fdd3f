use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::{SmtpConfig, SmtpSettings};
use serde_json::json;

use crate::Failed;
use crate::settings::effective;

pub fn run(sources: &Sources, json: bool) -> Result<(), Failed> {
    let settings = effective(sources);
    match SmtpConfig::load(sources) {
        Ok(config) => {
            let warnings = config.warnings();
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
                if !warnings.is_empty() {
                    println!(
                        "\n{} warning{}:",
                        warnings.len(),
                        if warnings.len() == 1 { "" } else { "s" }
                    );
                    for w in &warnings {
                        println!("  - {}: {}", w.key, w.message);
                        if let Some(hint) = &w.hint {
                            println!("    hint: {hint}");
                        }
                    }
                }
            }
            Ok(())
        }
        Err(errors) => {
            if json {
                let out = json!({"ok": false, "config": "SmtpConfig", "settings": settings, "warnings": [], "errors": errors});
                println!("{out:#}");
            } else {
                print!("{errors}");
                print_settings(&settings);
            }
            Err(Failed)
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
