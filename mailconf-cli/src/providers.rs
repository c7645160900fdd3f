//! `mailconf providers`: the presets `MAIL_PROVIDER` accepts, from the one table.

use mailconf_smtp::Provider;

use crate::Failed;

pub fn run(json: bool) -> Result<(), Failed> {
    let all = Provider::all();
    if json {
        let report = serde_json::json!({ "providers": all });
        println!("{report:#}");
        return Ok(());
    }
    println!("MAIL_PROVIDER presets (the first port is the preset; MAIL_PORT picks another):");
    for p in all {
        let mut names = vec![p.id.to_owned()];
        names.extend(p.aliases.iter().map(|a| (*a).to_owned()));
        let id = if p.needs_region() {
            format!("{}:REGION", p.id)
        } else {
            p.id.to_owned()
        };
        println!();
        println!("  {id:<20} {}", p.name);
        if names.len() > 1 {
            println!("  {:<20} also: {}", "", names[1..].join(", "));
        }
        println!("  {:<20} {}, port {}", "", p.host, p.offers());
        if let Some(user) = p.username {
            println!("  {:<20} MAIL_USERNAME={user}", "");
        }
        println!("  {:<20} {}", "", p.note);
        println!("  {:<20} {}", "", p.source);
    }
    Ok(())
}
