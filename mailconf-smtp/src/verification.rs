//! The templates of [`Mailer::verification_email`](crate::Mailer::verification_email): a
//! default pair shipped in the crate, which files of the same names in `TEMPLATE_FOLDER`
//! replace (feature `templates`).
//!
//! The templates are given `app_name`, `link` (an absolute `http(s)://` URL), `name` (the
//! recipient's display name, `""` when there is none) and `email` (the recipient's address).
//! A `{% block subject %}` gives the subject; an override without one keeps the default's.
//!
//! - With `verification_email.html` in the folder, the HTML part is yours; the text part is
//!   your `verification_email.txt` when there is one, else generated from your HTML.
//! - With only `verification_email.txt`, the email is that text alone.
//! - An override is rendered once with sample values when the templates are loaded, so one
//!   that uses another variable stops the start-up with its file and line, as a syntax error
//!   does, rather than the first verification email.
//!
//! ```
//! assert!(mailconf_smtp::verification::DEFAULT_HTML.contains("{{ link }}"));
//! ```

use std::sync::LazyLock;

use minijinja::value::Value;
use minijinja::{Environment, context};

use crate::jinja::{self, Parts, TemplateError};

/// The name of the HTML template, in `TEMPLATE_FOLDER` to replace the default.
pub const HTML_TEMPLATE: &str = "verification_email.html";
/// The name of the text template, in `TEMPLATE_FOLDER` to replace the default.
pub const TEXT_TEMPLATE: &str = "verification_email.txt";
/// The default HTML template (a starting point for your own).
pub const DEFAULT_HTML: &str = include_str!("../templates/verification_email.html");
/// The default text template.
pub const DEFAULT_TEXT: &str = include_str!("../templates/verification_email.txt");

/// What the templates are given.
pub(crate) struct Vars<'a> {
    pub(crate) name: &'a str,
    pub(crate) email: &'a str,
    pub(crate) app_name: &'a str,
    pub(crate) link: &'a str,
}

impl Vars<'_> {
    fn context(&self) -> Value {
        context! {
            name => self.name,
            email => self.email,
            app_name => self.app_name,
            link => self.link,
        }
    }
}

/// The rendered email.
#[derive(Debug)]
pub(crate) struct Verification {
    pub(crate) subject: String,
    pub(crate) text: String,
    pub(crate) html: Option<String>,
}

/// The defaults, parsed once.
static DEFAULTS: LazyLock<Result<Environment<'static>, TemplateError>> = LazyLock::new(|| {
    let mut env = jinja::environment();
    jinja::add(&mut env, HTML_TEMPLATE.to_owned(), DEFAULT_HTML.to_owned())?;
    jinja::add(&mut env, TEXT_TEMPLATE.to_owned(), DEFAULT_TEXT.to_owned())?;
    Ok(env)
});

fn render_default(context: &Value) -> Result<Parts, TemplateError> {
    let env = DEFAULTS.as_ref().map_err(Clone::clone)?;
    let missing = |name: &str| TemplateError::NotFound {
        name: name.to_owned(),
        known: vec![HTML_TEMPLATE.to_owned(), TEXT_TEMPLATE.to_owned()],
    };
    jinja::render_parts(
        env,
        Some(HTML_TEMPLATE),
        Some(TEXT_TEMPLATE),
        context,
        missing,
    )
}

/// The verification email from the overrides in `folder`, if it has any, else the defaults.
pub(crate) fn render(
    #[cfg(feature = "templates")] folder: Option<&crate::templates::Templates>,
    vars: &Vars<'_>,
) -> Result<Verification, TemplateError> {
    let context = vars.context();
    let default = render_default(&context)?;
    let subject = default.subject.unwrap_or_default();
    #[cfg(feature = "templates")]
    if let Some(own) = folder
        .map(|t| overridden(t, &context))
        .transpose()?
        .flatten()
    {
        return Ok(Verification {
            subject: own.subject.unwrap_or(subject),
            text: own.text,
            html: own.html,
        });
    }
    Ok(Verification {
        subject,
        // Both defaults are rendered, so the text is always there.
        text: default.text.unwrap_or_default(),
        html: default.html,
    })
}

/// The folder's own verification email, or `None` when it has neither template.
#[cfg(feature = "templates")]
fn overridden(
    templates: &crate::templates::Templates,
    context: &Value,
) -> Result<Option<crate::templates::Rendered>, TemplateError> {
    let has = |name: &'static str| templates.names().iter().any(|n| n == name).then_some(name);
    let (html, text) = (has(HTML_TEMPLATE), has(TEXT_TEMPLATE));
    if html.is_none() && text.is_none() {
        return Ok(None);
    }
    templates.render_parts(html, text, context).map(Some)
}

/// Renders the folder's override (if any) with sample values, with and without a name.
#[cfg(feature = "templates")]
pub(crate) fn check_override(templates: &crate::templates::Templates) -> Result<(), TemplateError> {
    for name in ["Jo Doe", ""] {
        let sample = Vars {
            name,
            email: "jo@example.com",
            app_name: "Example",
            link: "https://example.com/confirm?t=1",
        };
        overridden(templates, &sample.context())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(name: &'a str, app_name: &'a str) -> Vars<'a> {
        Vars {
            name,
            email: "seoyeon@example.org",
            app_name,
            link: "https://example.com/c?t=1&u=<2>",
        }
    }

    fn default(vars: &Vars<'_>) -> Verification {
        #[cfg(feature = "templates")]
        return render(None, vars).unwrap();
        #[cfg(not(feature = "templates"))]
        return render(vars).unwrap();
    }

    #[test]
    fn the_defaults_render_korean_and_escape_html() {
        let email = default(&vars("김서연", "쇼핑몰 <Tom & Jerry's>"));
        assert_eq!(
            email.subject,
            "Confirm your email for 쇼핑몰 <Tom & Jerry's>"
        );
        assert!(
            email.text.starts_with("Hello 김서연,\n\n"),
            "{}",
            email.text
        );
        assert!(
            email.text.contains("for 쇼핑몰 <Tom & Jerry's> by opening"),
            "{}",
            email.text
        );
        assert!(
            email.text.contains("\nhttps://example.com/c?t=1&u=<2>\n"),
            "{}",
            email.text
        );
        let html = email.html.unwrap();
        assert!(html.starts_with("<!DOCTYPE html>\n"), "{html}");
        assert!(html.contains("<p>Hello 김서연,</p>"), "{html}");
        assert!(
            html.contains("for 쇼핑몰 &lt;Tom &amp; Jerry&#39;s&gt;:</p>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://example.com/c?t=1&amp;u=&lt;2&gt;\">"),
            "{html}"
        );
    }

    #[test]
    fn without_a_name_the_greeting_has_none() {
        let email = default(&vars("", "App"));
        assert!(email.text.starts_with("Hello,\n"), "{}", email.text);
        assert!(email.html.unwrap().contains("<p>Hello,</p>"));
    }
}
