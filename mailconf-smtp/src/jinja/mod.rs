//! The template engine's settings and rendering, one set for the templates of
//! `TEMPLATE_FOLDER` ([`Templates`](crate::templates::Templates), feature `templates`) and for
//! the built-in verification email (always built, so that a build without the feature still
//! renders its default): Jinja2's rules (strict about undefined variables, HTML escaped exactly
//! as MarkupSafe escapes it in `.html`/`.htm`/`.xml` templates), the `subject` block, and
//! errors that name the template, the line and the variable.

mod error;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};

pub use error::TemplateError;

use crate::html::escape as markupsafe;

/// An environment with mailconf's rules and no templates yet.
pub(crate) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(auto_escape);
    // Whitespace as Jinja2's defaults (one trailing newline removed, blocks not trimmed)
    // are minijinja's defaults too.
    env.set_formatter(|out: &mut Output, state: &mut State, value: &Value| {
        if matches!(state.auto_escape(), AutoEscape::Html)
            && !value.is_safe()
            && let Some(text) = value.as_str()
        {
            return out.write_str(&markupsafe(text)).map_err(Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    let escape = |value: &Value| -> Value {
        if value.is_safe() {
            value.clone()
        } else {
            Value::from_safe_string(markupsafe(&value.to_string()))
        }
    };
    env.add_filter("escape", escape);
    env.add_filter("e", escape);
    env
}

/// Adds a template, or says where it does not parse.
pub(crate) fn add(
    env: &mut Environment<'static>,
    name: String,
    source: String,
) -> Result<(), TemplateError> {
    env.add_template_owned(name.clone(), source)
        .map_err(|e| TemplateError::Syntax {
            name: e.name().unwrap_or(&name).to_owned(),
            line: e.line().unwrap_or(1),
            reason: reason(&e),
        })
}

/// The output of an HTML template, a text template or both, before a missing text part is
/// generated from the HTML.
#[derive(Debug)]
pub(crate) struct Parts {
    /// The `subject` block (of the HTML template, else of the text one), on one line.
    pub(crate) subject: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) html: Option<String>,
}

/// Renders the named templates of `env` with `context`; `missing` says what to report for a
/// name `env` does not have.
pub(crate) fn render_parts(
    env: &Environment<'static>,
    html: Option<&str>,
    text: Option<&str>,
    context: &Value,
    missing: impl Fn(&str) -> TemplateError,
) -> Result<Parts, TemplateError> {
    let render = |name: &str| render_one(env, name, context, &missing);
    let html = html.map(render).transpose()?;
    let text = text.map(render).transpose()?;
    let subject = match (&html, &text) {
        (Some((_, Some(subject))), _) => Some(unescape(subject)),
        (_, Some((_, Some(subject)))) => Some(subject.clone()),
        _ => None,
    }
    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
    Ok(Parts {
        subject,
        text: text.map(|(t, _)| t),
        html: html.map(|(h, _)| h),
    })
}

/// The output and the `subject` block of one template.
fn render_one(
    env: &Environment<'static>,
    name: &str,
    context: &Value,
    missing: impl Fn(&str) -> TemplateError,
) -> Result<(String, Option<String>), TemplateError> {
    let template = env.get_template(name).map_err(|e| match e.kind() {
        ErrorKind::TemplateNotFound => missing(name),
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

/// Jinja2's `select_autoescape(["html", "htm", "xml"])`, also through `.j2`-style suffixes.
fn auto_escape(name: &str) -> AutoEscape {
    if is_html(name) {
        AutoEscape::Html
    } else {
        AutoEscape::None
    }
}

/// Whether `name` is an HTML template (`.html`, `.htm`, `.xml`, also followed by `.j2`,
/// `.jinja` or `.jinja2`).
pub(crate) fn is_html(name: &str) -> bool {
    let name = [".j2", ".jinja2", ".jinja"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name);
    matches!(
        name.rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .as_deref(),
        Some("html" | "htm" | "xml")
    )
}

/// Undoes [`markupsafe`](crate::html::escape) and the few entities an HTML subject line may
/// hold, for the `Subject` header, which is not HTML.
pub(crate) fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The engine's explanation without its location, which the error states separately.
fn reason(e: &Error) -> String {
    e.detail()
        .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()))
}

/// A rendering failure of template `name`, naming the variable when one was undefined.
pub(crate) fn render_error(name: &str, e: &Error) -> TemplateError {
    let template = e.name().unwrap_or(name).to_owned();
    match e.kind() {
        ErrorKind::UndefinedError => TemplateError::Undefined {
            variable: undefined_name(e).unwrap_or_else(|| "?".to_owned()),
            name: template,
            line: e.line().unwrap_or(1),
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
fn undefined_name(e: &Error) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_markupsafe_does() {
        assert_eq!(
            markupsafe(r#"<script>alert("x" + 'y')</script> & /"#),
            "&lt;script&gt;alert(&#34;x&#34; + &#39;y&#39;)&lt;/script&gt; &amp; /"
        );
        assert_eq!(
            unescape(&markupsafe("Tom & Jerry's <b>")),
            "Tom & Jerry's <b>"
        );
    }
}
