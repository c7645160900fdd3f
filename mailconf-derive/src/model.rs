//! The checked model of a derive input: what `valid.rs` decided, in the form `expand.rs` writes
//! out.
//!
//! Variable names are composed, literal defaults classified and the hooks' shapes settled once,
//! here, while the checks run; the expansion reads this model and decides nothing of its own
//! (garde_derive's check → model → emit). So a name the checks validated is the name the
//! generated schema carries, and a default the checks parsed as a literal is the one the
//! schema states.

use mailconf_values::LiteralKind;
use proc_macro2::Span;
use quote::format_ident;
use syn::{Expr, Ident, Type, Visibility};

use crate::ast::{Field, Input};
use crate::attr::Keyed;
use crate::literal;

/// A struct whose attributes passed every check.
pub(crate) struct Model<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// The struct name as written, without `r#`.
    pub name: String,
    pub doc: &'a str,
    /// The struct's own prefix, empty when it has none.
    pub prefix: String,
    pub allow_unknown: bool,
    pub deny_unknown: bool,
    pub case_insensitive: bool,
    pub foreign_keys: Option<&'a Keyed<Expr>>,
    /// The struct's `validate` hook and the partial struct it is given.
    pub check: Option<StructCheck<'a>>,
    pub fields: Vec<ModelField<'a>>,
}

/// `validate = path` on the struct.
pub(crate) struct StructCheck<'a> {
    pub hook: &'a Keyed<Expr>,
    /// `SmtpConfigPartial` for `SmtpConfig`.
    pub partial: Ident,
}

/// One field, in declaration order.
pub(crate) struct ModelField<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub ty: &'a Type,
    /// The field name as written, without `r#`.
    pub name: String,
    pub doc: &'a str,
    pub kind: Kind<'a>,
}

/// What a field is to the loader.
pub(crate) enum Kind<'a> {
    /// `skip`: always `Default::default()`; the span is the `skip` key's.
    Skip(Span),
    /// A nested settings struct, embedded under `prefix` (empty when none is given).
    Flatten { prefix: String },
    /// One setting.
    Setting(Setting<'a>),
}

/// The names and behaviour of one setting.
pub(crate) struct Setting<'a> {
    /// The name after the struct's prefix, or the whole name when `absolute`.
    pub variable: String,
    /// Given by `env`: no prefix is put before it.
    pub absolute: bool,
    /// The name read when the struct is loaded on its own: prefix and variable.
    pub key: String,
    /// Where a mistake about the name points: the `env` or `rename` string, or the field name.
    pub span: Span,
    pub aliases: Vec<String>,
    pub renamed_from: Vec<String>,
    pub required_unless: Vec<String>,
    pub default: Default<'a>,
    /// `secret` given: the key's span, where a type that prints itself is refused.
    pub secret: Option<Span>,
    /// Redacted, by the attribute or by its `Secret<T>` type: it also answers to `KEY_FILE`.
    pub is_secret: bool,
    pub validate: Option<&'a Keyed<Expr>>,
    pub hint: Option<String>,
}

/// What an unset setting becomes.
pub(crate) enum Default<'a> {
    /// Required (or `None`, for an `Option`).
    None,
    /// `default`: `Default::default()`; the span is the key's.
    Trait(Span),
    /// `default = 587`: parsed like a value read from the environment.
    Literal {
        kind: LiteralKind,
        text: String,
        expr: &'a Expr,
    },
    /// `default = expr`: evaluated when unset; `text` is the code as written, for docs.
    Expr { text: String, expr: &'a Expr },
}

impl<'a> Model<'a> {
    /// The model's struct-level part; `valid.rs` pushes the fields as it checks them.
    pub(crate) fn new(input: &'a Input<'a>) -> Self {
        let attrs = &input.attrs;
        Model {
            ident: input.ident,
            vis: input.vis,
            name: input.name(),
            doc: &input.doc,
            prefix: input.prefix(),
            allow_unknown: attrs.allow_unknown.is_some(),
            deny_unknown: attrs.deny_unknown.is_some(),
            case_insensitive: attrs.case_insensitive.is_some(),
            foreign_keys: attrs.foreign_keys.as_ref(),
            check: attrs.validate.as_ref().map(|hook| StructCheck {
                hook,
                partial: format_ident!("{}Partial", input.ident),
            }),
            fields: Vec::new(),
        }
    }

    /// The fields the loader reads: every one but the `skip`ped.
    pub(crate) fn loaded(&self) -> impl Iterator<Item = &ModelField<'a>> {
        self.fields
            .iter()
            .filter(|f| !matches!(f.kind, Kind::Skip(_)))
    }
}

impl<'a> ModelField<'a> {
    /// `field` as a model, with `kind` decided by the checks.
    pub(crate) fn new(field: &'a Field<'a>, kind: Kind<'a>) -> Self {
        ModelField {
            ident: field.ident,
            vis: field.vis,
            ty: field.ty,
            name: field.name(),
            doc: &field.doc,
            kind,
        }
    }
}

impl<'a> Setting<'a> {
    /// The setting `field` declares in a struct with `prefix`.
    pub(crate) fn new(field: &'a Field<'a>, input: &Input<'_>, prefix: &str) -> Self {
        let a = &field.attrs;
        let variable = field.variable(input);
        let key = if variable.absolute {
            variable.name.clone()
        } else {
            format!("{prefix}{}", variable.name)
        };
        let strings = |list: &[Keyed<syn::LitStr>]| list.iter().map(|k| k.value.value()).collect();
        Setting {
            key,
            variable: variable.name,
            absolute: variable.absolute,
            span: variable.span,
            aliases: strings(&a.aliases),
            renamed_from: strings(&a.renamed_from),
            required_unless: strings(&a.required_unless),
            default: Default::of(a.default.as_ref()),
            secret: a.secret.as_ref().map(|k| k.key),
            is_secret: a.secret.is_some() || literal::is_secret_type(field.ty),
            validate: a.validate.as_ref(),
            hint: a.hint.as_ref().map(|h| h.value.value()),
        }
    }
}

impl<'a> Default<'a> {
    fn of(attr: Option<&'a Keyed<Option<Expr>>>) -> Self {
        match attr {
            None => Default::None,
            Some(Keyed { key, value: None }) => Default::Trait(*key),
            Some(Keyed {
                value: Some(expr), ..
            }) => match literal::literal(expr) {
                Some(lit) => Default::Literal {
                    kind: lit.kind,
                    text: lit.text,
                    expr,
                },
                None => Default::Expr {
                    text: literal::code_text(expr),
                    expr,
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Errors;

    fn model_of(source: &str, check: impl FnOnce(&Model<'_>)) {
        let node: syn::DeriveInput = syn::parse_str(source).unwrap();
        let mut errors = Errors::default();
        let input = Input::from_syn(&node, &mut errors);
        let model = crate::valid::check(&input, &mut errors);
        assert!(errors.finish().is_ok());
        check(&model);
    }

    fn setting<'m>(model: &'m Model<'_>, index: usize) -> &'m Setting<'m> {
        match &model.fields[index].kind {
            Kind::Setting(setting) => setting,
            _ => panic!("field {index} is not a setting"),
        }
    }

    #[test]
    fn names_are_composed_once_with_the_prefix_and_the_naming_rule() {
        model_of(
            r#"#[mailconf(prefix = "MAIL_", rename_all = "UPPERCASE")]
               struct S {
                   from_name: String,
                   #[mailconf(env = "USE_CREDENTIALS")] use_credentials: bool,
                   #[mailconf(rename = "HOST", alias = "SMTP_HOST")] server: String,
                   password: Secret<String>,
                   #[mailconf(skip)] cache: u8,
                   #[mailconf(flatten(prefix = "RATE_"))] rate: Rate,
               }"#,
            |model| {
                assert_eq!(model.prefix, "MAIL_");
                let from = setting(model, 0);
                assert_eq!(
                    (from.variable.as_str(), from.key.as_str()),
                    ("FROMNAME", "MAIL_FROMNAME")
                );
                let creds = setting(model, 1);
                assert!(creds.absolute);
                assert_eq!(creds.key, "USE_CREDENTIALS");
                let server = setting(model, 2);
                assert_eq!(server.key, "MAIL_HOST");
                assert_eq!(server.aliases, ["SMTP_HOST"]);
                assert!(setting(model, 3).is_secret);
                assert!(matches!(model.fields[4].kind, Kind::Skip(_)));
                assert!(
                    matches!(&model.fields[5].kind, Kind::Flatten { prefix } if prefix == "RATE_")
                );
                assert_eq!(model.loaded().count(), 5);
            },
        );
    }

    #[test]
    fn defaults_are_classified_once() {
        model_of(
            r#"struct S {
                   #[mailconf(default = 587)] port: Port,
                   #[mailconf(default = -2.5)] skew: f64,
                   #[mailconf(default = Duration::from_secs(5))] timeout: Duration,
                   #[mailconf(default)] tls: bool,
                   name: String,
               }"#,
            |model| {
                assert!(
                    matches!(&setting(model, 0).default, Default::Literal { text, .. } if text == "587")
                );
                assert!(
                    matches!(&setting(model, 1).default, Default::Literal { text, .. } if text == "-2.5")
                );
                assert!(
                    matches!(&setting(model, 2).default, Default::Expr { text, .. } if text == "Duration::from_secs(5)")
                );
                assert!(matches!(setting(model, 3).default, Default::Trait(_)));
                assert!(matches!(setting(model, 4).default, Default::None));
            },
        );
    }

    #[test]
    fn the_struct_hook_names_its_partial_struct() {
        model_of(
            "#[mailconf(validate = check)] struct Mail { port: Port }",
            |model| {
                let check = model.check.as_ref().unwrap();
                assert_eq!(check.partial, "MailPartial");
            },
        );
    }
}
