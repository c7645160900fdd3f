//! What can go wrong loading or rendering templates: each error names the template (the file
//! in `TEMPLATE_FOLDER`) and, where there is one, the line and the variable.

use std::path::PathBuf;

/// Why templates could not be loaded or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The folder, or a file in it, cannot be read.
    #[error("cannot read the template folder {}: {reason}", path.display())]
    Folder {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A template does not parse. Reported when the templates are loaded, not at the first send.
    #[error("syntax error in template {name} line {line}: {reason}")]
    Syntax {
        /// The template's name: its path inside the folder, such as `email/welcome.html`.
        name: String,
        /// The line (1-based).
        line: usize,
        /// The parser's explanation.
        reason: String,
    },
    /// No template of this name.
    #[error("no template {name:?}{}", known_list(known))]
    NotFound {
        /// The name asked for.
        name: String,
        /// The templates there are (at most the first 20).
        known: Vec<String>,
    },
    /// The template uses a variable the data does not have.
    #[error(
        "undefined variable `{variable}` in template {name} line {line}: add it to the data, or write `{{% if {variable} is defined %}}` around it"
    )]
    Undefined {
        /// The variable (as written in the template, such as `user.name`).
        variable: String,
        /// The template.
        name: String,
        /// The line (1-based).
        line: usize,
    },
    /// Rendering failed for another reason (a filter given a wrong type, an include loop…).
    #[error("cannot render template {name}{}: {reason}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Render {
        /// The template.
        name: String,
        /// The line, when known.
        line: Option<usize>,
        /// The engine's explanation.
        reason: String,
    },
    /// The data is not an object or a list.
    #[error(
        "template data must be an object (its keys become the template's variables) or a list (available as `body`), not {kind}"
    )]
    Data {
        /// What it was instead (a string, a number…).
        kind: String,
    },
    /// A template was asked for, but no folder was configured.
    #[error("no template folder: set TEMPLATE_FOLDER to the folder of your templates")]
    NoFolder,
    /// [`Email::build`](crate::email::Email::build) was given an email whose template was not
    /// rendered: send it with [`Mailer::send_email`](crate::Mailer::send_email) or render it
    /// with `Email::render` first (feature `templates`).
    #[error(
        "the template {name} was not rendered: compose the email with Mailer::compose or Email::render"
    )]
    NotRendered {
        /// The template.
        name: String,
    },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        " (the folder has no templates)".to_owned()
    } else {
        format!(" (there are: {})", known.join(", "))
    }
}
