//! The template engine's settings and rendering, one set for the templates of
//! `TEMPLATE_FOLDER` ([`Templates`](crate::templates::Templates), feature `templates`) and for
//! the built-in verification email (always built, so that a build without the feature still
//! renders its default): Jinja2's rules (strict about undefined variables, HTML escaped exactly
//! as MarkupSafe escapes it in `.html`/`.htm`/`.xml` templates), the `subject` block, and
//! errors that name the template, the line and the variable.

mod error;

use minijinja::value::{ObjectRepr, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};

pub use error::TemplateError;

use crate::html::escape as markupsafe;

/// The work one rendering may do, in minijinja's fuel: one unit per instruction, and one per
/// 64 bytes of data made or written, so 250,000 instructions or 16 MB. An email needs far less
/// (a loop over 2,000 items fits, tested below); without a budget a template's
/// `{{ name * 99999999 }}` or nested loop over data ties up a worker for seconds, or for ever,
/// and hundreds of MB (fuzz finding 18).
const FUEL: u64 = 250_000;

/// The most text one printed value may make. Fuel is charged after a value is printed, and
/// printing a list goes through every item even once the output has failed, so a list
/// repeated millions of times (`{{ items * 9999999 }}`, which minijinja builds lazily, for
/// free) is measured first. No more could be sent anyway: it is Postfix's default
/// `message_size_limit`.
const MAX_PRINTED: usize = 10_240_000;

/// Fails when `value` prints as more than [`MAX_PRINTED`] bytes.
fn printable(value: &Value) -> Result<(), Error> {
    if least_printed(value, MAX_PRINTED) <= MAX_PRINTED {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidOperation,
        format!(
            "a value prints as more than {MAX_PRINTED} bytes, more than a server accepts in \
             one message: look for a repetition (`*`) or a loop that grows with the data"
        ),
    ))
}

/// The fewest bytes `value` prints as (a list's brackets and separators, its items' own
/// least), counted no further than past `limit`: a list's length is read before its items,
/// so no more than `limit` items are visited.
fn least_printed(value: &Value, limit: usize) -> usize {
    let Some(object) = value.as_object() else {
        return value.as_str().map_or(1, str::len);
    };
    let Some(len) = object.enumerator_len() else {
        return 1;
    };
    let mut total = 2 + 2 * len.saturating_sub(1);
    let items: Box<dyn Iterator<Item = Value>> = match object.repr() {
        ObjectRepr::Map => {
            Box::new((object.try_iter_pairs().into_iter().flatten()).flat_map(|(k, v)| [k, v]))
        }
        _ => Box::new(object.try_iter().into_iter().flatten()),
    };
    for item in items {
        if total > limit {
            break;
        }
        total += least_printed(&item, limit - total);
    }
    total
}

/// An environment with mailconf's rules and no templates yet.
pub(crate) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(auto_escape);
    // Whitespace as Jinja2's defaults (one trailing newline removed, blocks not trimmed)
    // are minijinja's defaults too.
    env.set_formatter(|out: &mut Output, state: &mut State, value: &Value| {
        printable(value)?;
        if matches!(state.auto_escape(), AutoEscape::Html)
            && !value.is_safe()
            && let Some(text) = value.as_str()
        {
            return out.write_str(&markupsafe(text)).map_err(Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    let escape = |value: &Value| -> Result<Value, Error> {
        if value.is_safe() {
            Ok(value.clone())
        } else {
            printable(value)?;
            Ok(Value::from_safe_string(markupsafe(&value.to_string())))
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
        ErrorKind::OutOfFuel => TemplateError::Render {
            name: template,
            line: e.line(),
            reason: format!(
                "it does more work than an email needs (over {FUEL} steps, or {} MB of text): \
                 look for a loop or a repetition (`*`) that grows with the data",
                FUEL * 64 / 1_000_000
            ),
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
    fn a_template_that_does_more_work_than_an_email_needs_is_an_error_naming_it() {
        for source in [
            // A 100 MB string, which minijinja alone allows.
            "{{ 'x' * 99999999 }}",
            // 29 million items printed, a list minijinja repeats without building it.
            "{{ [{'name': ''}, []] * 4020 * 1811 }}",
            "{{ [[]] * 202 * 419705 }}",
            "{{ [[[]] * 3000000] * 5 }}",
            "{{ ([{'name': ''}, []] * 4020 * 1811) | e }}",
            // Ten billion steps and no output.
            "{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}",
        ] {
            let mut env = environment();
            add(&mut env, "big.txt".to_owned(), source.to_owned()).unwrap();
            let missing = |_: &str| unreachable!();
            let error =
                render_parts(&env, None, Some("big.txt"), &Value::from(()), missing).unwrap_err();
            match &error {
                TemplateError::Render { name, reason, .. } => {
                    assert_eq!(name, "big.txt");
                    assert!(
                        reason.contains("more work than an email needs")
                            || reason.contains("more than a server accepts"),
                        "{reason}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
        // An ordinary email is far inside the budget.
        let mut env = environment();
        let source = "{% for i in 'x' * 2000 %}<p>{{ name }} {{ loop.index }}</p>{% endfor %}";
        add(&mut env, "list.html".to_owned(), source.to_owned()).unwrap();
        let context = minijinja::context! { name => "김민준" };
        let parts = render_parts(&env, Some("list.html"), None, &context, |_| unreachable!());
        assert_eq!(parts.unwrap().html.unwrap().matches("<p>").count(), 2000);
    }

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
