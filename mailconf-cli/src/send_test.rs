//! `mailconf send-test`: one message through the `Mailer` the settings build, exactly as an
//! application would send it.

use clap::Args;
use mailconf_core::{FromValue, Lang, MailConfig, Mailbox, Message, Sources};
use mailconf_smtp::{ComposeError, Email, Mailer, Recipient, SendError, SmtpConfig, SmtpSettings};
use serde_json::json;

use crate::{Failed, check};

/// Options of `mailconf send-test`.
#[derive(Debug, Args)]
pub struct SendTestArgs {
    /// The recipient: an address, or `Name <address>`.
    #[arg(long, value_name = "ADDR", value_parser = parse_recipient)]
    pub to: Mailbox,
    /// The subject ("mailconf test message" by default; with --template, the template's
    /// `subject` block unless given).
    #[arg(long, value_name = "S", value_parser = parse_subject)]
    pub subject: Option<String>,
    /// Send this template of TEMPLATE_FOLDER instead of the test text: `NAME` as the HTML part
    /// (and `NAME` with `.txt` as the text part, when there is one), rendered with --data.
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// The template's data: a JSON object or list, or `@FILE` to read it from a file.
    #[arg(long, value_name = "JSON|@FILE", requires = "template")]
    pub data: Option<String>,
    #[command(flatten)]
    pub load: crate::send_load::LoadArgs,
}

const DEFAULT_SUBJECT: &str = "mailconf test message";

fn parse_recipient(raw: &str) -> Result<Mailbox, String> {
    Mailbox::from_value(raw).map_err(|e| e.to_string())
}

/// A line break in the subject would end up in the message header.
fn parse_subject(raw: &str) -> Result<String, String> {
    if raw.chars().any(char::is_control) {
        Err("the subject must not contain line breaks or other control characters".to_owned())
    } else {
        Ok(raw.to_owned())
    }
}

pub async fn run(
    sources: &Sources,
    json: bool,
    lang: mailconf_core::Lang,
    args: SendTestArgs,
) -> Result<(), Failed> {
    if let Some(addr) = args.load.metrics {
        crate::send_load::serve_metrics(addr, json)?;
    }
    let subject = args
        .subject
        .clone()
        .unwrap_or_else(|| DEFAULT_SUBJECT.to_owned());
    if args.load.is_load() {
        if args.template.is_some() {
            let message = mailconf_core::Message::new("cli-send-test-template-count");
            eprintln!("error: {}", message.render(lang));
            return Err(Failed);
        }
        return crate::send_load::run(sources, json, lang, &args.to, &subject, &args.load).await;
    }
    let Ok(config) = SmtpConfig::load(sources) else {
        return check::run(sources, json, lang).and(Err(Failed));
    };
    let endpoint = config.endpoint();
    let server = format!("{}:{}", endpoint.host, endpoint.port);
    let fail = |what: &'static str, reason: Message| {
        let text = Message::new(what).arg("reason", reason).render(lang);
        if json {
            outln!(
                "{:#}",
                json!({"ok": false, "stage": "setup", "server": server, "message": text})
            );
        } else {
            let line = Message::new("cli-not-sent").arg("what", text);
            outln!("{}", line.render(lang));
        }
        Failed
    };
    let mailer =
        Mailer::new(&config).map_err(|e| fail("cli-send-setup", Message::text(e.to_string())))?;
    let body = format!(
        "This is a test message from `mailconf send-test`, sent to check the SMTP settings.\n\nServer: {server} ({})\nSender: {}\n",
        endpoint.security,
        config.sender()
    );
    // The body repeats the sender, whose name may be any script: `Mailer::send` makes the
    // message well-formed MIME (UTF-8 text/plain, MIME-Version, Date), exactly as it does for
    // an application's messages, so the test message shows what they will look like.
    let message = match &args.template {
        Some(name) => {
            let data = match &args.data {
                Some(raw) => crate::render::parse_data(raw).map_err(|m| {
                    eprintln!("error: {}", m.render(lang));
                    Failed
                })?,
                None => json!({}),
            };
            let mut email = Email::new().to(&args.to).template(name, &data);
            if let Some(subject) = &args.subject {
                email = email.subject(subject);
            }
            mailer.compose(email).map_err(|e| e.to_string())
        }
        None => (&args.to)
            .into_mailbox()
            .and_then(|to| {
                mailer
                    .message()
                    .to(to)
                    .subject(&subject)
                    .body(body)
                    .map_err(ComposeError::from)
            })
            .map_err(|e| e.to_string()),
    };
    let message = message.map_err(|e| fail("cli-send-compose", Message::text(e)))?;

    let outcome = mailer.send(message).await;
    mailer.close_idle().await;
    match outcome {
        Ok(report) if report.is_suppressed() => Err(fail(
            "cli-send-nothing",
            Message::new("cli-send-suppressed"),
        )),
        Ok(report) => {
            let message_id = report.message_id().unwrap_or("(none)");
            if json {
                let out = json!({
                    "ok": true, "server": server, "to": args.to.to_string(),
                    "code": report.code(), "reply": report.reply(),
                    "message_id": report.message_id(), "attempts": report.attempts(),
                });
                outln!("{out:#}");
            } else {
                let sent = Message::new("cli-sent")
                    .arg("to", args.to.to_string())
                    .arg("server", server.as_str())
                    .arg("mode", endpoint.security.name());
                outln!("{}", sent.render(lang));
                let reply = Message::new("cli-server-reply")
                    .arg("code", report.code().to_string())
                    .arg("reply", report.reply());
                outln!("  {}", reply.render(lang));
                outln!("  Message-ID: {message_id}");
            }
            Ok(())
        }
        Err(error) => {
            print_failure(&error, json, lang);
            Err(Failed)
        }
    }
}

fn print_failure(error: &SendError, json: bool, lang: Lang) {
    if json {
        let out = json!({
            "ok": false, "server": error.server(), "stage": mailconf_smtp::metrics::stage_label(error.stage()),
            "code": error.code(), "message": error.message(), "hint": error.hint_in(lang),
            "attempts": error.attempts(), "timed_out": error.is_timeout(),
            "permanent": error.is_permanent(),
        });
        outln!("{out:#}");
        return;
    }
    let how = if error.is_timeout() {
        "cli-send-stage-timed-out"
    } else {
        "cli-send-stage-failed"
    };
    let line = Message::new(how)
        .arg("stage", error.stage().name())
        .arg("server", error.server());
    outln!("{}", line.render(lang));
    if let Some(code) = error.code() {
        let line = Message::new("cli-reply-code").arg("code", code.to_string());
        outln!("  {}", line.render(lang));
    }
    let line = Message::new("cli-server-message").arg("message", error.message());
    outln!("  {}", line.render(lang));
    outln!("  {}", error.verdict_message().render(lang));
    if let Some(hint) = error.hint_message() {
        let line = Message::new("report-hint").arg("hint", hint.clone());
        outln!("  {}", line.render(lang));
    }
}
