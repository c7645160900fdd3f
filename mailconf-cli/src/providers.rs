//! `mailconf providers`: the presets `MAIL_PROVIDER` accepts, from the one table.

use mailconf_smtp::Provider;

use crate::Failed;

pub fn run(json: bool) -> Result<(), Failed> {
    let all = Provider::all();
    if json {
        let report = serde_json::json!({ "providers": all });
        outln!("{report:#}");
        return Ok(());
    }
    outln!("MAIL_PROVIDER presets (the first port is the preset; MAIL_PORT picks another):");
    for p in all {
        let mut names = vec![p.id.to_owned()];
        names.extend(p.aliases.iter().map(|a| (*a).to_owned()));
        let id = if p.needs_region() {
            format!("{}:REGION", p.id)
        } else {
            p.id.to_owned()
        };
        outln!();
        outln!("  {id:<20} {}", p.name);
        if names.len() > 1 {
            outln!("  {:<20} also: {}", "", names[1..].join(", "));
        }
        outln!("  {:<20} {}, port {}", "", p.host, p.offers());
        if let Some(user) = p.username {
            outln!("  {:<20} MAIL_USERNAME={user}", "");
        }
        outln!("  {:<20} {}", "", p.note);
        outln!("  {:<20} {}", "", p.source);
    }
    Ok(())
}
