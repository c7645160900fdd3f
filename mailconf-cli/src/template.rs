use mailconf_core::MailConfig;
use mailconf_smtp::SmtpConfig;

use crate::Failed;
use crate::cli::TemplateFormat;

pub fn run(format: TemplateFormat) -> Result<(), Failed> {
    let schema = SmtpConfig::schema();
    match format {
        TemplateFormat::Env => out!("{}", schema.env_example()),
        TemplateFormat::JsonSchema => {
            let text = serde_json::to_string_pretty(&schema.json_schema()).map_err(|e| {
                eprintln!("error: {e}");
                Failed
            })?;
            outln!("{text}");
        }
        TemplateFormat::Markdown => out!("{}", schema.markdown()),
    }
    Ok(())
}
