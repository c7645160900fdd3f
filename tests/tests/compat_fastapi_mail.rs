//! The differential test against fastapi-mail: every configuration of the corpus
//! (`tests/support/compat/corpus.jsonl`, written by `gen_corpus.py` there) is loaded by
//! fastapi-mail 1.6.8's own `ConnectionConfig` in the test venv (one Python process for the whole
//! corpus) and by mailconf, plainly and with `Compat::FastapiMail`. Every disagreement must be
//! explained by a row of docs/COMPATIBILITY.md that the configuration names; an unexplained one
//! fails the test with both sides' verdicts.
//!
//! `scripts/test-all.sh` installs fastapi-mail (tests/support/requirements/fastapi-mail.txt).
//! Without it the test says SKIPPED, and fails under CI.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use mailconf_core::{Errors, FromValue, Host, MailConfig, Sources};
use mailconf_smtp::{Compat, Security, SmtpConfig, SmtpSettings};
use serde_json::Value;

const FASTAPI_MAIL_VERSION: &str = "1.6.8";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One configuration of the corpus.
struct Case {
    id: String,
    env: BTreeMap<String, String>,
    rows: Vec<String>,
}

fn corpus() -> Vec<Case> {
    let text = std::fs::read_to_string(manifest_dir().join("support/compat/corpus.jsonl"))
        .expect("the corpus is in the repository");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a corpus line is JSON");
            Case {
                id: v["id"].as_str().expect("id").to_owned(),
                env: v["env"]
                    .as_object()
                    .expect("env")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().expect("string values").to_owned()))
                    .collect(),
                rows: v["rows"]
                    .as_array()
                    .expect("rows")
                    .iter()
                    .map(|r| r.as_str().expect("row ids").to_owned())
                    .collect(),
            }
        })
        .collect()
}

/// Who refuses when the two disagree, or that both accept with different values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    MailconfRefuses,
    FastapiMailRefuses,
    ValuesDiffer,
}

impl Direction {
    fn parse(text: &str) -> Option<Direction> {
        match text {
            "mailconf refuses" => Some(Direction::MailconfRefuses),
            "fastapi-mail refuses" => Some(Direction::FastapiMailRefuses),
            "values differ" => Some(Direction::ValuesDiffer),
            _ => None,
        }
    }
}

/// How mailconf loads the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    /// `SmtpConfig::load`, `mailconf check`.
    Default,
    /// `SmtpConfig::load_compat(.., Compat::FastapiMail)`, `mailconf check --compat fastapi-mail`.
    Compat,
}

/// A row of docs/COMPATIBILITY.md: `| `id` | direction | modes | ... |`.
struct Row {
    direction: Direction,
    modes: BTreeSet<Mode>,
}

fn rows() -> BTreeMap<String, Row> {
    let doc = std::fs::read_to_string(manifest_dir().join("../docs/COMPATIBILITY.md"))
        .expect("docs/COMPATIBILITY.md");
    let mut rows = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, id, direction, modes, ..] = cells[..] else {
            continue;
        };
        let Some(id) = id.strip_prefix('`').and_then(|i| i.strip_suffix('`')) else {
            continue;
        };
        let direction = Direction::parse(direction)
            .unwrap_or_else(|| panic!("row {id}: unknown direction {direction:?}"));
        let modes = modes
            .split(',')
            .map(|m| match m.trim() {
                "default" => Mode::Default,
                "compat" => Mode::Compat,
                other => panic!("row {id}: unknown mode {other:?}"),
            })
            .collect();
        assert!(
            rows.insert(id.to_owned(), Row { direction, modes })
                .is_none(),
            "row {id} twice"
        );
    }
    rows
}

/// The settings both libraries have, as each loaded them.
#[derive(Debug, PartialEq, Eq)]
struct Values {
    port: i64,
    security: Option<Security>,
    use_credentials: bool,
    validate_certs: bool,
    suppress_send: bool,
    timeout: i64,
    from: String,
    from_name: Option<String>,
    /// Compared only when a login is used: fastapi-mail keeps the key either way.
    username: Option<String>,
}

enum Verdict {
    Accepts(Values),
    Refuses(String),
}

fn fastapi_mail_verdict(result: &Value) -> Verdict {
    if result["ok"] == Value::Bool(false) {
        let reasons = result["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| format!("{} {}: {}", e["loc"], e["type"], e["msg"]))
            .collect::<Vec<_>>()
            .join("; ");
        return Verdict::Refuses(reasons);
    }
    let v = &result["values"];
    let flag = |k: &str| v[k].as_bool().expect(k);
    let use_credentials = flag("use_credentials");
    Verdict::Accepts(Values {
        port: v["port"].as_i64().expect("port"),
        security: Security::from_flags(flag("starttls"), flag("ssl_tls")),
        use_credentials,
        validate_certs: flag("validate_certs"),
        suppress_send: flag("suppress_send"),
        timeout: v["timeout"].as_i64().expect("timeout"),
        from: v["from"].as_str().expect("from").to_owned(),
        from_name: v["from_name"].as_str().map(str::to_owned),
        username: use_credentials.then(|| v["username"].as_str().expect("username").to_owned()),
    })
}

fn mailconf_verdict(loaded: Result<SmtpConfig, Errors>) -> Verdict {
    let config = match loaded {
        Ok(config) => config,
        Err(errors) => {
            let reasons = errors
                .iter()
                .map(|e| {
                    format!(
                        "{} {}: {}",
                        e.key(),
                        e.detail().unwrap_or(e.code()),
                        e.message()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            return Verdict::Refuses(reasons);
        }
    };
    let sender = config.sender();
    // The domain in lower-case ASCII, as the runner writes fastapi-mail's.
    let domain = sender.email.domain();
    let domain = Host::from_value(domain).map_or_else(|_| domain.to_lowercase(), |h| h.to_string());
    Verdict::Accepts(Values {
        port: i64::from(config.endpoint().port.get()),
        security: Some(config.security()),
        use_credentials: config.use_credentials(),
        validate_certs: config.tls().validate_certs,
        suppress_send: config.suppress_send(),
        timeout: i64::try_from(config.timeout().as_secs()).expect("small"),
        from: format!("{}@{domain}", sender.email.local_part()),
        from_name: sender.name,
        username: config
            .use_credentials()
            .then(|| config.username().unwrap_or_default().to_owned()),
    })
}

/// The direction of a disagreement, with what each side said; `None` when they agree.
fn compare(fastapi_mail: &Verdict, mailconf: &Verdict) -> Option<(Direction, String)> {
    match (fastapi_mail, mailconf) {
        (Verdict::Refuses(_), Verdict::Refuses(_)) => None,
        (Verdict::Accepts(a), Verdict::Accepts(b)) if a == b => None,
        (Verdict::Accepts(a), Verdict::Accepts(b)) => Some((
            Direction::ValuesDiffer,
            format!("fastapi-mail reads {a:?}\n    mailconf reads     {b:?}"),
        )),
        (Verdict::Accepts(_), Verdict::Refuses(why)) => Some((
            Direction::MailconfRefuses,
            format!("fastapi-mail accepts; mailconf refuses: {why}"),
        )),
        (Verdict::Refuses(why), Verdict::Accepts(_)) => Some((
            Direction::FastapiMailRefuses,
            format!("mailconf accepts; fastapi-mail refuses: {why}"),
        )),
    }
}

/// fastapi-mail's verdict on every configuration, by id.
fn run_fastapi_mail(python: &Path) -> BTreeMap<String, Value> {
    let output = Command::new(python)
        .arg(manifest_dir().join("support/fastapi_mail_runner.py"))
        .arg(manifest_dir().join("support/compat/corpus.jsonl"))
        .current_dir(manifest_dir())
        .stderr(Stdio::inherit())
        .output()
        .expect("the runner starts");
    assert!(output.status.success(), "the fastapi-mail runner failed");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let mut lines = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON"));
    let versions = lines.next().expect("a version line");
    assert_eq!(
        versions["fastapi_mail"], FASTAPI_MAIL_VERSION,
        "the venv holds another fastapi-mail: {versions}"
    );
    eprintln!("fastapi-mail side: {versions}");
    lines
        .map(|v| (v["id"].as_str().expect("id").to_owned(), v))
        .collect()
}

#[test]
fn every_disagreement_with_fastapi_mail_is_documented() {
    let Some(python) = mailconf_tests::venv::python_with("MAILCONF_PYTHON", "fastapi_mail") else {
        mailconf_tests::skip::missing(
            "compat_fastapi_mail",
            "fastapi-mail is not installed in target/test-venv",
        );
        return;
    };
    let corpus = corpus();
    assert!(
        corpus.len() >= 500,
        "the corpus has {} configurations",
        corpus.len()
    );
    let rows = rows();
    let fastapi_mail = run_fastapi_mail(&python);
    assert_eq!(
        fastapi_mail.len(),
        corpus.len(),
        "one verdict per configuration"
    );

    let mut undocumented = String::new();
    let mut shown_rows = BTreeSet::new();
    let mut stale = Vec::new();
    let mut counts = BTreeMap::<(Mode, Direction), usize>::new();
    for case in &corpus {
        for row in &case.rows {
            assert!(
                rows.contains_key(row),
                "{}: no row `{row}` in docs/COMPATIBILITY.md",
                case.id
            );
        }
        let theirs = fastapi_mail_verdict(&fastapi_mail[&case.id]);
        // As the process environment holds them: only keys under the prefix are checked.
        let sources = Sources::new().env_vars(case.env.clone());
        let mut disagreed = false;
        for (mode, loaded) in [
            (Mode::Default, SmtpConfig::load(&sources)),
            (
                Mode::Compat,
                SmtpConfig::load_compat(&sources, Compat::FastapiMail).map(|l| l.value),
            ),
        ] {
            let Some((direction, detail)) = compare(&theirs, &mailconf_verdict(loaded)) else {
                continue;
            };
            disagreed = true;
            *counts.entry((mode, direction)).or_default() += 1;
            let explained = case.rows.iter().find(|id| {
                rows.get(*id)
                    .is_some_and(|row| row.direction == direction && row.modes.contains(&mode))
            });
            if let Some(row) = explained {
                shown_rows.insert(row.as_str());
            } else {
                let _ = write!(
                    undocumented,
                    "\n- {} [{mode:?}, {direction:?}] rows {:?}\n    env: {:?}\n    {detail}",
                    case.id, case.rows, case.env
                );
            }
        }
        if !disagreed && !case.rows.is_empty() {
            stale.push(case.id.as_str());
        }
    }
    eprintln!(
        "{} configurations; disagreements by (mode, direction): {counts:?}",
        corpus.len()
    );
    // A case that names a row but agrees, or a row no disagreement shows, is a difference that
    // is gone: the table would claim more than is true.
    assert!(
        stale.is_empty(),
        "configurations that name a row of docs/COMPATIBILITY.md but agree with fastapi-mail \
         (remove the row from them in gen_corpus.py): {stale:?}"
    );
    let unshown: Vec<_> = rows
        .keys()
        .filter(|id| !shown_rows.contains(id.as_str()))
        .collect();
    assert!(
        unshown.is_empty(),
        "rows of docs/COMPATIBILITY.md that no disagreement shows: {unshown:?}"
    );
    assert!(
        undocumented.is_empty(),
        "disagreements with fastapi-mail {FASTAPI_MAIL_VERSION} that docs/COMPATIBILITY.md does not explain \
         (add a row and name it in tests/support/compat/gen_corpus.py, or fix mailconf):{undocumented}"
    );
}
