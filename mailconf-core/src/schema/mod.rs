//! Static metadata about a settings struct, from which templates and docs are made.

use std::borrow::Cow;

use mailconf_values::Message;

mod env_example;
mod json_schema;
mod markdown;
mod names;
mod type_name;

pub use names::{NameKind, Names};
pub use type_name::type_name_message;

/// What a secret's variable name ends with when the variable names a file holding the value.
pub(crate) const FILE_SUFFIX: &str = "_FILE";

/// A settings struct: its name, prefix and fields. Built at compile time by the derive.
#[derive(Debug)]
pub struct Schema {
    /// The Rust struct name.
    pub name: &'static str,
    /// The struct's doc comment.
    pub doc: &'static str,
    /// Put before every variable name of the struct (`MAIL_`), unless a field gives a full name.
    pub prefix: &'static str,
    /// Unknown keys are not reported (`#[mailconf(allow_unknown)]`): none at all for the struct
    /// that is loaded, and those under its composed prefix when the struct is flattened into
    /// another.
    pub allow_unknown: bool,
    /// Every unknown key is an error (`#[mailconf(deny_unknown)]`), not only near misses of a
    /// known key and keys of another library's settings: for the struct that is loaded.
    pub deny_unknown: bool,
    /// Keys other libraries use for a setting this struct has (`#[mailconf(foreign_keys = path)]`):
    /// set, each is an error that names the key to use instead, and never a "did you mean".
    pub foreign_keys: &'static [ForeignKey],
    /// Variable names match whatever their case (`#[mailconf(case_insensitive)]`), as
    /// pydantic-settings matches them: `mail_server` sets `MAIL_SERVER`, with a warning. For the
    /// struct that is loaded, and every struct flattened into it.
    pub case_insensitive: bool,
    /// The fields, in declaration order (skipped fields are left out).
    pub fields: &'static [FieldSchema],
}

/// One field of a settings struct.
#[derive(Debug)]
pub struct FieldSchema {
    /// The Rust field name.
    pub field: &'static str,
    /// The variable name after the prefix (`PORT`), or the full name when `absolute`.
    pub name: &'static str,
    /// `name` is the full variable name (`#[mailconf(env = "...")]`): no prefix is put before it.
    pub absolute: bool,
    /// Other full names also accepted.
    pub aliases: &'static [&'static str],
    /// Old full names, rejected with a message naming the new one.
    pub renamed_from: &'static [&'static str],
    /// Rust names of sibling fields: this optional field must be set unless one of them is
    /// (`#[mailconf(required_unless = "url")]`).
    pub required_unless: &'static [&'static str],
    /// What the value is, for people (`"port"`).
    pub type_name: &'static str,
    /// The JSON Schema type of the value.
    pub json_type: &'static str,
    /// The only values accepted, when the type is a choice (an enum deriving `FromValue`);
    /// empty otherwise. JSON Schema lists them as `enum`.
    pub choices: &'static [&'static str],
    /// The default, if any.
    pub default: DefaultValue,
    /// The setting may be left unset (an `Option`).
    pub optional: bool,
    /// The value is redacted everywhere.
    pub secret: bool,
    /// Advice for this setting in particular, added to the type's own hint when the value is
    /// invalid (`#[mailconf(hint = "...")]`): a `Port` knows ports, the field knows which one.
    pub hint: Option<&'static str>,
    /// The field's doc comment.
    pub doc: &'static str,
    /// A value, or a nested settings struct.
    pub kind: FieldKind,
}

/// A key another library reads for a setting, such as Flask-Mail's `MAIL_USE_TLS`: one row of
/// a struct's table of foreign keys.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    /// The full variable name, such as `MAIL_USE_TLS`.
    pub key: &'static str,
    /// The library (or framework) that reads it, such as `Flask-Mail`.
    pub dialect: &'static str,
    /// What to set instead, such as `MAIL_STARTTLS=true (port 587)`.
    pub instead: &'static str,
    /// The variable of this struct that takes its place, such as `MAIL_STARTTLS` (empty when
    /// none does): when that one is missing, its hint names the foreign key that is set.
    pub setting: &'static str,
    /// Computes the advice from the values set, replacing `set {instead} instead`: the exact
    /// assignments to write, such as `MAIL_SSL_TLS=True, MAIL_STARTTLS=False` for Flask-Mail's
    /// `MAIL_USE_TLS=True` on port 465. Called with the foreign key and a lookup of any
    /// variable's value; it must never put a secret's value in the text.
    pub explain: Option<ExplainForeignKey>,
}

/// See [`ForeignKey::explain`]: `(foreign key, value of a variable) -> advice`.
pub type ExplainForeignKey = fn(&str, &dyn Fn(&str) -> Option<String>) -> Message;

/// Rows are equal when they say the same; `explain` is code, whose address means nothing.
impl PartialEq for ForeignKey {
    fn eq(&self, other: &Self) -> bool {
        (self.key, self.dialect, self.instead, self.setting)
            == (other.key, other.dialect, other.instead, other.setting)
            && self.explain.is_some() == other.explain.is_some()
    }
}

impl Eq for ForeignKey {}

/// A field's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    /// Required (unless optional).
    None,
    /// A literal, parsed like a value from the environment (`"30s"`, `587`).
    Text(&'static str),
    /// Computed by Rust code; the text is the code, for docs.
    Expr(&'static str),
}

/// Whether a field holds a value or a nested struct.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// A value parsed with `FromValue`.
    Value,
    /// A nested settings struct (`#[mailconf(flatten)]`).
    Flatten {
        /// Put before the nested struct's names, after the outer prefix.
        prefix: &'static str,
        /// The nested struct's schema.
        schema: fn() -> &'static Schema,
    },
}

/// A value field with its resolved variable name.
#[derive(Debug, Clone)]
pub struct SchemaEntry {
    /// The full variable name, prefixes applied.
    pub key: String,
    /// The Rust field path, such as `smtp.port`.
    pub path: String,
    /// The field.
    pub field: &'static FieldSchema,
    /// The variables that make this optional field unnecessary when set (`required_unless`).
    pub required_unless: Vec<String>,
    /// The other full names also accepted ([`FieldSchema::aliases`]), under the embedding
    /// prefix.
    pub aliases: Vec<String>,
    /// The old full names reported as renamed ([`FieldSchema::renamed_from`]), under the
    /// embedding prefix.
    pub renamed_from: Vec<String>,
    /// The prefix the field's struct is embedded at, for [`SchemaEntry::names`].
    outer: String,
}

impl SchemaEntry {
    /// Every name the field answers to here: the rules the loader reads them by.
    pub fn names(&self) -> Names<'_> {
        Names::new(self.field, &self.outer, &self.key)
    }
}

/// Where a struct's names go: `outer` is the prefix of the place it is embedded at (empty for
/// the struct that is loaded), put before its `env` names, aliases and renamed names; `prefix`
/// is `outer` followed by the struct's own prefix, put before its other names.
///
/// Flattening embeds a struct at the outer struct's prefix followed by the `flatten(prefix)`;
/// a struct flattened with no prefix at all, and with none of its own, only groups fields: its
/// names are those the outer struct would give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scope {
    /// The length of `outer` within `prefix`.
    pub(crate) outer: usize,
}

impl Scope {
    /// The scope of a struct embedded with `flatten` as its `flatten(prefix)` and `own` as its
    /// own prefix, inside the struct whose prefix is `prefix` (extended in place).
    pub(crate) fn enter(self, prefix: &mut String, flatten: &str, own: &str) -> Scope {
        if flatten.is_empty() && own.is_empty() {
            return self;
        }
        prefix.push_str(flatten);
        let outer = prefix.len();
        prefix.push_str(own);
        Scope { outer }
    }
}

impl Schema {
    /// A schema with these fields and nothing else set, for a hand-written [`MailConfig`]
    /// impl: change the rest with struct update syntax (`Schema { doc: "...", ..Schema::new(...) }`).
    ///
    /// [`MailConfig`]: crate::MailConfig
    pub const fn new(
        name: &'static str,
        prefix: &'static str,
        fields: &'static [FieldSchema],
    ) -> Schema {
        Schema {
            name,
            doc: "",
            prefix,
            allow_unknown: false,
            deny_unknown: false,
            foreign_keys: &[],
            case_insensitive: false,
            fields,
        }
    }
}

impl FieldSchema {
    /// A required, non-secret text field read from the variable `name` (after the prefix), for
    /// a hand-written [`MailConfig`] impl: change the rest with struct update syntax
    /// (`FieldSchema { secret: true, ..FieldSchema::value("password", "PASSWORD") }`).
    ///
    /// [`MailConfig`]: crate::MailConfig
    pub const fn value(field: &'static str, name: &'static str) -> FieldSchema {
        FieldSchema {
            field,
            name,
            absolute: false,
            aliases: &[],
            renamed_from: &[],
            required_unless: &[],
            type_name: "string",
            json_type: "string",
            choices: &[],
            default: DefaultValue::None,
            optional: false,
            secret: false,
            hint: None,
            doc: "",
            kind: FieldKind::Value,
        }
    }

    /// The full variable name of this field of a struct whose names start with `prefix`, the
    /// struct being embedded at `outer` (a start of `prefix`; empty for the struct that is
    /// loaded). An `env` name goes under `outer`, any other under `prefix`.
    pub fn key(&self, outer: &str, prefix: &str) -> String {
        let mut key = String::new();
        Names::write_key(self, outer, prefix, &mut key);
        key
    }

    /// A flattened field's struct, and its prefix and scope within the composed `prefix`.
    fn nested(&self, prefix: &str, scope: Scope) -> Option<(&'static Schema, String, Scope)> {
        match self.kind {
            FieldKind::Value => None,
            FieldKind::Flatten {
                prefix: inner,
                schema,
            } => {
                let nested = schema();
                let mut composed = prefix.to_owned();
                let scope = scope.enter(&mut composed, inner, nested.prefix);
                Some((nested, composed, scope))
            }
        }
    }

    /// Whether the setting must be set.
    pub fn required(&self) -> bool {
        !self.optional && self.default == DefaultValue::None
    }

    /// The name of the variable that may hold the path of a file with the value (secrets only);
    /// [`Names::file_key`] with the field's other names.
    pub fn file_key(&self, key: &str) -> Option<String> {
        self.secret
            .then(|| format!("{key}{}", names::file_suffix(self)))
    }
}

impl Schema {
    /// Every value field, nested structs expanded, with full variable names.
    pub fn entries(&self) -> Vec<SchemaEntry> {
        let mut out = Vec::new();
        let mut prefix = String::new();
        let scope = Scope { outer: 0 }.enter(&mut prefix, "", self.prefix);
        self.collect(&prefix, scope, "", &mut out);
        out
    }

    fn collect(&self, prefix: &str, scope: Scope, path: &str, out: &mut Vec<SchemaEntry>) {
        let outer = &prefix[..scope.outer];
        for field in self.fields {
            let field_path = format!("{path}{}", field.field);
            if let Some((nested, composed, scope)) = field.nested(prefix, scope) {
                nested.collect(&composed, scope, &format!("{field_path}."), out);
                continue;
            }
            let required_unless = field
                .required_unless
                .iter()
                .filter_map(|name| self.fields.iter().find(|f| f.field == *name))
                .map(|sibling| sibling.key(outer, prefix))
                .collect();
            let key = field.key(outer, prefix);
            let names = Names::new(field, outer, &key);
            let aliases = names.aliases().map(Cow::into_owned).collect();
            let renamed_from = names.renamed_from().map(Cow::into_owned).collect();
            out.push(SchemaEntry {
                key,
                path: field_path,
                field,
                required_unless,
                aliases,
                renamed_from,
                outer: outer.to_owned(),
            });
        }
    }

    /// The foreign keys of this struct and of every struct flattened into it.
    pub(crate) fn all_foreign_keys(&self) -> Vec<&'static ForeignKey> {
        let mut out: Vec<&'static ForeignKey> = self.foreign_keys.iter().collect();
        for field in self.fields {
            if let FieldKind::Flatten { schema, .. } = field.kind {
                out.extend(schema().all_foreign_keys());
            }
        }
        out
    }

    /// The composed prefixes of flattened structs marked `allow_unknown`, under which unknown
    /// keys are accepted.
    pub(crate) fn lenient_prefixes(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |schema, prefix, _| {
            if schema.allow_unknown && !std::ptr::eq(schema, self) {
                out.push(prefix.to_owned());
            }
        });
        out
    }

    /// The composed prefix of each struct with a prefix of its own, and where in it the struct
    /// is embedded ([`Scope`]): `MAIL_` at 0 for `SmtpConfig` loaded alone.
    pub(crate) fn scopes(&self) -> Vec<(String, Scope)> {
        let mut out = Vec::new();
        self.walk(&mut |schema, prefix, scope| {
            if !schema.prefix.is_empty() && !out.iter().any(|(p, _)| p == prefix) {
                out.push((prefix.to_owned(), scope));
            }
        });
        out
    }

    /// Visits this struct and every flattened one with its composed prefix and scope.
    fn walk(&self, visit: &mut impl FnMut(&Schema, &str, Scope)) {
        let mut prefix = String::new();
        let scope = Scope { outer: 0 }.enter(&mut prefix, "", self.prefix);
        self.walk_from(&prefix, scope, visit);
    }

    fn walk_from(&self, prefix: &str, scope: Scope, visit: &mut impl FnMut(&Schema, &str, Scope)) {
        visit(self, prefix, scope);
        for field in self.fields {
            if let Some((nested, composed, scope)) = field.nested(prefix, scope) {
                nested.walk_from(&composed, scope, visit);
            }
        }
    }

    /// A `.env.example` file: doc comments as comments, defaults filled in, required settings
    /// marked, secrets left blank.
    pub fn env_example(&self) -> String {
        env_example::render(self)
    }

    /// A JSON Schema (draft 2020-12) of the JSON object `from_json` accepts.
    pub fn json_schema(&self) -> serde_json::Value {
        json_schema::render(self)
    }

    /// A Markdown table of the settings, for docs.
    pub fn markdown(&self) -> String {
        markdown::render(self)
    }
}

/// The first line of a doc comment, for one-line descriptions.
fn summary(doc: &str) -> &str {
    doc.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// How the default reads in docs.
fn default_text(field: &FieldSchema) -> Option<String> {
    match field.default {
        DefaultValue::None => None,
        DefaultValue::Text(t) => Some(t.to_owned()),
        DefaultValue::Expr(e) => Some(format!("`{e}`")),
    }
}
