//! Templates (feature `templates`): Jinja2 templates from `TEMPLATE_FOLDER`, rendered with
//! `minijinja` the way fastapi-mail renders them with Jinja2, so its templates work unchanged.
//!
//! - The data is any `serde::Serialize`: an object's keys are the template's variables; a list
//!   is available as `body` (fastapi-mail's rule).
//! - Every template in the folder is parsed when a [`Templates`] (or a [`Mailer`](crate::Mailer)
//!   with `TEMPLATE_FOLDER`) is built, so a syntax error stops the start-up with the file and
//!   line, not the first send.
//! - A variable missing from the data is an error naming it and the template (Jinja2's
//!   `StrictUndefined`), never an empty string in a sent message.
//! - Templates named `*.html`, `*.htm` and `*.xml` (also with `.j2`, `.jinja` or `.jinja2`
//!   after it) are HTML-escaped exactly as Jinja2 escapes them; other templates, such as the
//!   `.txt` of the text part, are not (fastapi-mail escapes those too, which puts `&amp;`
//!   into plain text).
//! - [`Templates::render`]`("welcome.html", data)` renders `welcome.html` as the HTML part and,
//!   when the folder has one, `welcome.txt` as the text part; otherwise the text part is
//!   generated from the HTML ([`html_to_text`]). A `{% block subject %}` gives the subject.
//!
//! ```
//! use mailconf_smtp::templates::Templates;
//! use serde_json::json;
//!
//! let templates = Templates::from_sources([
//!     ("base.html", "<title>{% block subject %}{% endblock %}</title><body>{% block body %}{% endblock %}</body>"),
//!     ("welcome.html", "{% extends \"base.html\" %}{% block subject %}{{ name }}님, 환영합니다{% endblock %}\
//!                       {% block body %}<p>{{ name }}님, 반갑습니다.</p>{% endblock %}"),
//! ])?;
//! let rendered = templates.render("welcome.html", &json!({"name": "<김민준>"}))?;
//! assert_eq!(rendered.subject.as_deref(), Some("<김민준>님, 환영합니다"));
//! assert!(rendered.html.unwrap().contains("<p>&lt;김민준&gt;님, 반갑습니다.</p>"));
//! assert!(rendered.text.contains("<김민준>님, 반갑습니다."));
//!
//! let error = templates.render("welcome.html", &json!({})).unwrap_err();
//! assert!(error.to_string().contains("undefined variable `name`"), "{error}");
//! # Ok::<(), mailconf_smtp::templates::TemplateError>(())
//! ```

mod load;
mod render;
mod text;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::Environment;

pub use crate::jinja::TemplateError;
pub use render::Rendered;
pub(crate) use render::TemplateCall;
pub use text::html_to_text;

/// The parsed templates of a folder, ready to render. Cheap to clone.
#[derive(Clone)]
pub struct Templates {
    env: Arc<Environment<'static>>,
    names: Arc<Vec<String>>,
    folder: Option<PathBuf>,
}

impl Templates {
    /// Reads and parses every template in `folder` and its sub-folders (files named `*.html`,
    /// `*.htm`, `*.xml`, `*.txt`, `*.text`, `*.md`, `*.css`, `*.j2`, `*.jinja`, `*.jinja2`;
    /// hidden files and folders are skipped). A template's name is its path inside the folder
    /// with `/` separators, as Jinja2's `FileSystemLoader` names it.
    pub fn from_folder(folder: impl AsRef<Path>) -> Result<Templates, TemplateError> {
        let folder = folder.as_ref();
        let sources = load::read_folder(folder)?;
        let mut templates = Templates::from_sources(sources)?;
        templates.folder = Some(folder.to_owned());
        Ok(templates)
    }

    /// Parses templates given as `(name, source)` pairs: what [`from_folder`](Self::from_folder)
    /// does after reading the files, without any I/O. A `verification_email.html` or
    /// `verification_email.txt` among them replaces the verification email's default and is
    /// rendered once with sample values ([`verification`](crate::verification)), so that one
    /// using a variable it is not given fails here, with its line.
    pub fn from_sources<N, S>(
        sources: impl IntoIterator<Item = (N, S)>,
    ) -> Result<Templates, TemplateError>
    where
        N: Into<String>,
        S: Into<String>,
    {
        let mut env = crate::jinja::environment();
        let mut names = Vec::new();
        for (name, source) in sources {
            let name: String = name.into();
            crate::jinja::add(&mut env, name.clone(), source.into())?;
            names.push(name);
        }
        names.sort();
        let templates = Templates {
            env: Arc::new(env),
            names: Arc::new(names),
            folder: None,
        };
        crate::verification::check_override(&templates)?;
        Ok(templates)
    }

    /// The templates' names, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The folder they were read from, if any.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }
}

impl fmt::Debug for Templates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Templates")
            .field("folder", &self.folder)
            .field("names", &self.names)
            .finish()
    }
}
