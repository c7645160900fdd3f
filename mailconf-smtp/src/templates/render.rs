//! Rendering: data to context, the HTML and text templates, the subject block, and the
//! [`Email`] methods that use them.

use minijinja::value::{Serde, Value, ValueKind};
use minijinja::{ErrorKind, context};
use serde::Serialize;

use super::escape::{html_to_text, unescape};
use super::{TemplateError, Templates, is_html, reason};
use crate::email::{Email, EmailError};

/// A rendered message body: what [`Templates::render`] gives and
/// [`Email::rendered`] takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The `subject` block (of the HTML template, else of the text template), on one line,
    /// when a template has one.
    pub subject: Option<String>,
    /// The text part: the text template's output, or generated from the HTML.
    pub text: String,
    /// The HTML part, when there is an HTML template.
    pub html: Option<String>,
}

/// A template and its data, kept by an [`Email`] until a [`Mailer`](crate::Mailer) renders it.
#[derive(Debug, Clone)]
pub(crate) struct TemplateCall {
    name: String,
    data: Value,
}

impl TemplateCall {
    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

impl Templates {
    /// Renders `name` with `data`: as the HTML part if `name` is an HTML template (`.html`,
    /// `.htm`, `.xml`), with the text part from the template of the same name ending in
    /// `.txt` when there is one; as the text part otherwise.
    pub fn render(&self, name: &str, data: &impl Serialize) -> Result<Rendered, TemplateError> {
        self.render_value(name, &context_of(Value::from(Serde(data)))?)
    }

    /// Renders an HTML template, a text template, or both, with `data` (fastapi-mail's
    /// `html_template` and `plain_template`). At least one must be given.
    pub fn render_pair(
        &self,
        html: Option<&str>,
        text: Option<&str>,
        data: &impl Serialize,
    ) -> Result<Rendered, TemplateError> {
        let context = context_of(Value::from(Serde(data)))?;
        self.render_parts(html, text, &context)
    }

    fn render_value(&self, name: &str, context: &Value) -> Result<Rendered, TemplateError> {
        if !is_html(name) {
            return self.render_parts(None, Some(name), context);
        }
        let sibling = name
            .rsplit_once('.')
            .map(|(stem, _)| format!("{stem}.txt"))
            .filter(|text| self.names.iter().any(|n| n == text));
        self.render_parts(Some(name), sibling.as_deref(), context)
    }

    fn render_parts(
        &self,
        html: Option<&str>,
        text: Option<&str>,
        context: &Value,
    ) -> Result<Rendered, TemplateError> {
        let html = html
            .map(|name| self.render_one(name, context))
            .transpose()?;
        let text = text
            .map(|name| self.render_one(name, context))
            .transpose()?;
        let subject = match (&html, &text) {
            (Some((_, Some(subject))), _) => Some(unescape(subject)),
            (_, Some((_, Some(subject)))) => Some(subject.clone()),
            _ => None,
        }
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        let (text, html) = match (text, html) {
            (Some((text, _)), html) => (text, html.map(|(h, _)| h)),
            (None, Some((html, _))) => (html_to_text(&html), Some(html)),
            (None, None) => {
                return Err(TemplateError::NotFound {
                    name: String::new(),
                    known: self.known(),
                });
            }
        };
        Ok(Rendered {
            subject,
            text,
            html,
        })
    }

    /// The output and the `subject` block of one template.
    fn render_one(
        &self,
        name: &str,
        context: &Value,
    ) -> Result<(String, Option<String>), TemplateError> {
        let template = self.env.get_template(name).map_err(|e| match e.kind() {
            ErrorKind::TemplateNotFound => TemplateError::NotFound {
                name: name.to_owned(),
                known: self.known(),
            },
            _ => render_error(name, &e),
        })?;
        let mut captured = template
            .render_captured(context.clone())
            .map_err(|e| render_error(name, &e))?;
        let subject = match captured.with_state_mut(|state| state.render_block("subject")) {
            Ok(subject) => Some(subject),
            Err(e) if e.kind() == ErrorKind::UnknownBlock => None,
            Err(e) => return Err(render_error(name, &e)),
        };
        Ok((captured.into_output(), subject))
    }

    fn known(&self) -> Vec<String> {
        self.names.iter().take(20).cloned().collect()
    }
}

/// fastapi-mail's rule: an object's keys are the variables; a list is `body`.
fn context_of(data: Value) -> Result<Value, TemplateError> {
    match data.kind() {
        ValueKind::Map => Ok(data),
        ValueKind::Seq | ValueKind::Iterable => Ok(context! { body => data }),
        kind => Err(TemplateError::Data {
            kind: kind.to_string(),
        }),
    }
}

fn render_error(name: &str, e: &minijinja::Error) -> TemplateError {
    let template = e.name().unwrap_or(name).to_owned();
    match e.kind() {
        ErrorKind::UndefinedError => TemplateError::Undefined {
            variable: undefined_name(e).unwrap_or_else(|| "?".to_owned()),
            name: template,
            line: e.line().unwrap_or(1),
        },
        ErrorKind::TemplateNotFound => TemplateError::Render {
            name: template,
            line: e.line(),
            reason: reason(e),
        },
        _ => TemplateError::Render {
            name: template,
            line: e.line(),
            reason: reason(e),
        },
    }
}

/// The expression that was undefined, as written in the template. When the engine points at
/// a filter (`{{ body | length }}`), the variable is the operand before the `|`.
fn undefined_name(e: &minijinja::Error) -> Option<String> {
    let source = e.template_source()?;
    let range = e.range()?;
    let before = source.get(..range.start)?.trim_end();
    let text = match before.strip_suffix('|') {
        Some(operand) => {
            let tag = operand
                .rfind("{{")
                .or_else(|| operand.rfind("{%"))
                .map_or(0, |i| i + 2);
            operand[tag..].split_whitespace().last()?.to_owned()
        }
        None => source.get(range)?.trim().to_owned(),
    };
    let text = text
        .trim_start_matches("{{")
        .trim_end_matches("}}")
        .trim()
        .to_owned();
    (!text.is_empty()).then_some(text)
}

impl Email {
    /// Renders the template `name` of the mailer's `TEMPLATE_FOLDER` with `data` when the
    /// email is composed ([`Templates::render`]: HTML, text, subject). A subject, text or
    /// HTML set on the email itself wins over the template's.
    pub fn template(mut self, name: impl Into<String>, data: &impl Serialize) -> Email {
        self.template = Some(TemplateCall {
            name: name.into(),
            data: Value::from(Serde(data)),
        });
        self
    }

    /// Takes the subject (unless one is set), text and HTML of a rendered template.
    pub fn rendered(mut self, rendered: Rendered) -> Email {
        if self.subject.is_none() {
            self.subject = rendered.subject;
        }
        self.text.get_or_insert(rendered.text);
        if let Some(html) = rendered.html {
            self.html.get_or_insert(html);
        }
        self
    }

    /// Renders the email's template (if any) with `templates`; an email without a template
    /// is returned as it is. `None` (no `TEMPLATE_FOLDER`) with a template is an error.
    pub fn render(mut self, templates: Option<&Templates>) -> Result<Email, EmailError> {
        let Some(call) = self.template.take() else {
            return Ok(self);
        };
        let templates = templates.ok_or(TemplateError::NoFolder)?;
        let rendered = templates.render_value(&call.name, &context_of(call.data)?)?;
        Ok(self.rendered(rendered))
    }
}
