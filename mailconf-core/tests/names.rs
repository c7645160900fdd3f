//! A field's [`Names`] are exactly the names a load answers to, wherever the struct is
//! embedded: each name `read()` lists sets the value, each old name is refused as renamed, and
//! [`Schema::view`] finds what a load reads. The loader and every tool read the same type, so
//! this pins the one against the other.

use mailconf_core::{MailConfig, NameKind, Secret, Sources};

#[derive(MailConfig, Debug)]
#[mailconf(prefix = "MAIL_")]
struct Mail {
    #[mailconf(alias = "SMTP_HOST", renamed_from = "MAIL_HOSTNAME")]
    server: String,
    #[mailconf(secret, alias = "SMTP_PASS")]
    password: Secret<String>,
    #[mailconf(env = "TIMEOUT")]
    timeout: u32,
}

#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_", case_insensitive)]
struct App {
    #[mailconf(flatten(prefix = "OUT_"))]
    mail: Mail,
}

fn names_of(entry: &mailconf_core::SchemaEntry) -> Vec<(String, NameKind)> {
    entry
        .names()
        .all()
        .map(|(name, kind)| (name.into_owned(), kind))
        .collect()
}

#[test]
fn names_follow_the_embedding_prefix() {
    let entries = App::schema().entries();
    let all: Vec<Vec<(String, NameKind)>> = entries.iter().map(names_of).collect();
    let own = |s: &str, kind| (s.to_owned(), kind);
    assert_eq!(
        all,
        [
            vec![
                own("APP_OUT_MAIL_SERVER", NameKind::Key),
                own("APP_OUT_SMTP_HOST", NameKind::Alias),
                own("APP_OUT_MAIL_HOSTNAME", NameKind::Renamed),
            ],
            vec![
                own("APP_OUT_MAIL_PASSWORD", NameKind::Key),
                own("APP_OUT_SMTP_PASS", NameKind::Alias),
                own("APP_OUT_MAIL_PASSWORD_FILE", NameKind::File),
            ],
            vec![own("APP_OUT_TIMEOUT", NameKind::Key)],
        ]
    );
    // The entry's lists are the same names.
    assert_eq!(entries[0].aliases, ["APP_OUT_SMTP_HOST"]);
    assert_eq!(entries[0].renamed_from, ["APP_OUT_MAIL_HOSTNAME"]);
}

#[test]
fn every_name_read_loads_and_every_old_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let password_file = dir.path().join("pw");
    std::fs::write(&password_file, "s3cret\n").unwrap();
    let base = [
        ("APP_OUT_MAIL_SERVER", "smtp.example.com"),
        ("APP_OUT_MAIL_PASSWORD", "pw"),
        ("APP_OUT_TIMEOUT", "5"),
    ];
    for entry in App::schema().entries() {
        for (name, kind) in entry.names().all() {
            let value = match (kind, entry.field.field) {
                (NameKind::File, _) => password_file.to_str().unwrap(),
                (_, "timeout") => "7",
                _ => "other.example.com",
            };
            let mut env: Vec<(String, String)> = base
                .iter()
                .filter(|(k, _)| *k != entry.key)
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            // Lower case: the struct is case-insensitive, and so is every name it answers to.
            env.push((name.to_ascii_lowercase(), value.to_owned()));
            let loaded = App::from_map(env.clone());
            if kind == NameKind::Renamed {
                let errors = loaded.unwrap_err();
                let error = errors.iter().find(|e| e.code() == "renamed_key");
                assert!(error.is_some(), "{name}: {errors}");
                continue;
            }
            let app = loaded.unwrap_or_else(|e| panic!("{name}: {e}"));
            match entry.field.field {
                "server" => assert_eq!(app.mail.server, value),
                "password" if kind == NameKind::File => {
                    assert_eq!(app.mail.password.expose_secret(), "s3cret");
                }
                "password" => assert_eq!(app.mail.password.expose_secret(), value),
                _ => assert_eq!(app.mail.timeout, 7),
            }
            // The view finds the same entry, and says by which name.
            let sources = Sources::new().map(env);
            let view = App::schema().view(&sources);
            let field = view.iter().find(|v| v.entry.key == entry.key).unwrap();
            assert_eq!(field.via, Some(kind), "{name}");
            assert_eq!(field.found.unwrap().key(), name.to_ascii_lowercase());
        }
    }
}
