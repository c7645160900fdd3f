//! Rendering: data to context, the HTML and text templates, the subject block, and the
//! [`Email`] methods that use them.

use minijinja::context;
use minijinja::value::{Serde, Value, ValueKind};
use serde::Serialize;

use super::text::html_to_text;
use super::{TemplateError, Templates};
use crate::email::{Email, EmailError};
use crate::jinja::{self, is_html};

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

    pub(crate) fn render_parts(
        &self,
        html: Option<&str>,
        text: Option<&str>,
        context: &Value,
    ) -> Result<Rendered, TemplateError> {
        let missing = |name: &str| TemplateError::NotFound {
            name: name.to_owned(),
            known: self.known(),
        };
        let parts = jinja::render_parts(&self.env, html, text, context, missing)?;
        let (text, html) = match (parts.text, parts.html) {
            (Some(text), html) => (text, html),
            (None, Some(html)) => (html_to_text(&html), Some(html)),
            (None, None) => return Err(missing("")),
        };
        Ok(Rendered {
            subject: parts.subject,
            text,
            html,
        })
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
