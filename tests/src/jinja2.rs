//! Renders a template with Python's Jinja2 (`support/render_jinja2.py` in the shared test venv),
//! the reference mailconf's templates must match.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The folder of the fastapi-mail-style templates the tests render.
#[must_use]
pub fn fixture_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("support/templates/fastapi")
}

/// What Jinja2 rendered: the template's output and its `subject` block.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The whole output.
    pub output: String,
    /// The `subject` block (of the template, or of the first of `parents` that has one).
    pub subject: Option<String>,
}

/// Renders `name` of `folder` with `data`, or `None` (after `SKIPPED: ...`) outside CI when
/// the venv has no Jinja2.
///
/// # Panics
/// Under CI when Jinja2 is missing, and when Python fails.
#[must_use]
pub fn render(folder: &Path, name: &str, parents: &[&str], data: &Value) -> Option<Rendered> {
    let Some(python) = crate::venv::python_with("MAILCONF_PYTHON", "jinja2") else {
        crate::skip::missing(
            "the comparison with Python's Jinja2",
            "no test venv Python with jinja2",
        );
        return None;
    };
    let mut args = vec![folder.as_os_str(), OsStr::new(name)];
    args.extend(parents.iter().map(OsStr::new));
    let v = crate::venv::run_script(
        &python,
        "render_jinja2.py",
        &args,
        data.to_string().as_bytes(),
    );
    Some(Rendered {
        output: v["output"].as_str().expect("output").to_owned(),
        subject: v["subject"].as_str().map(str::to_owned),
    })
}
