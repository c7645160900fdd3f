//! Parsing `#[mailconf(...)]` into plain values.
//!
//! Only the syntax of each attribute is checked here; whether the attributes make sense
//! together, and whether names are valid, is `valid.rs`'s job. A mistake is recorded and parsing
//! goes on with the next key, so that one compile run reports every mistake.

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Token};

use crate::error::Errors;
use crate::name::{self, RenameAll};
use crate::symbol::{self, CONTAINER_KEYS, FIELD_KEYS};

/// An attribute's value with the span of its key, where messages about the attribute as a
/// whole ("`skip` conflicts with `env`") point.
pub(crate) struct Keyed<T> {
    pub key: Span,
    pub value: T,
}

/// `#[mailconf(...)]` on the struct.
#[derive(Default)]
pub(crate) struct Container {
    pub prefix: Option<Keyed<LitStr>>,
    pub rename_all: Option<Keyed<RenameAll>>,
    pub allow_unknown: Option<Keyed<()>>,
    pub deny_unknown: Option<Keyed<()>>,
    pub foreign_keys: Option<Keyed<Expr>>,
    pub case_insensitive: Option<Keyed<()>>,
    pub validate: Option<Keyed<Expr>>,
}

/// `#[mailconf(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub env: Option<Keyed<LitStr>>,
    pub rename: Option<Keyed<LitStr>>,
    pub aliases: Vec<Keyed<LitStr>>,
    pub renamed_from: Vec<Keyed<LitStr>>,
    pub required_unless: Vec<Keyed<LitStr>>,
    pub default: Option<Keyed<Option<Expr>>>,
    pub secret: Option<Keyed<()>>,
    pub flatten: Option<Keyed<Option<LitStr>>>,
    pub skip: Option<Keyed<()>>,
    pub validate: Option<Keyed<Expr>>,
    pub hint: Option<Keyed<LitStr>>,
}

/// Where an attribute stands, for messages about keys that belong elsewhere.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Struct,
    Field,
}

impl Container {
    /// Parses every `#[mailconf(...)]` among `attrs`.
    pub(crate) fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Container::default();
        for_each_key(attrs, errors, |meta, key, errors| {
            let span = key_span(&meta);
            match key {
                symbol::PREFIX => {
                    if let Some(lit) = string(&meta, key, "MAIL_", errors)? {
                        set_once(&mut out.prefix, span, lit, key, errors);
                    }
                }
                symbol::RENAME_ALL => {
                    if let Some(lit) = string(&meta, key, "SCREAMING_SNAKE_CASE", errors)?
                        && let Some(rule) = rename_all(&lit, errors)
                    {
                        set_once(&mut out.rename_all, span, rule, key, errors);
                    }
                }
                symbol::ALLOW_UNKNOWN => flag(&meta, &mut out.allow_unknown, span, key, errors)?,
                symbol::DENY_UNKNOWN => flag(&meta, &mut out.deny_unknown, span, key, errors)?,
                symbol::CASE_INSENSITIVE => {
                    flag(&meta, &mut out.case_insensitive, span, key, errors)?
                }
                symbol::FOREIGN_KEYS => {
                    if let Some(path) = function(&meta, key, "dialects::FOREIGN_KEYS", errors)? {
                        set_once(&mut out.foreign_keys, span, path, key, errors);
                    }
                }
                symbol::VALIDATE => {
                    if let Some(path) = function(&meta, key, "check_settings", errors)? {
                        set_once(&mut out.validate, span, path, key, errors);
                    }
                }
                _ => unknown_key(&meta, key, Place::Struct, errors)?,
            }
            Ok(())
        });
        out
    }
}

impl FieldAttrs {
    /// Parses every `#[mailconf(...)]` among `attrs`.
    pub(crate) fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = FieldAttrs::default();
        for_each_key(attrs, errors, |meta, key, errors| {
            let span = key_span(&meta);
            match key {
                symbol::ENV => {
                    if let Some(lit) = string(&meta, key, "MAIL_PORT", errors)? {
                        set_once(&mut out.env, span, lit, key, errors);
                    }
                }
                symbol::RENAME => {
                    if let Some(lit) = string(&meta, key, "PORT", errors)? {
                        set_once(&mut out.rename, span, lit, key, errors);
                    }
                }
                symbol::ALIAS => {
                    if let Some(lit) = string(&meta, key, "SMTP_PORT", errors)? {
                        out.aliases.push(Keyed {
                            key: span,
                            value: lit,
                        });
                    }
                }
                symbol::RENAMED_FROM => {
                    if let Some(lit) = string(&meta, key, "MAIL_TLS", errors)? {
                        out.renamed_from.push(Keyed {
                            key: span,
                            value: lit,
                        });
                    }
                }
                symbol::REQUIRED_UNLESS => {
                    if let Some(lit) = string(&meta, key, "url", errors)? {
                        out.required_unless.push(Keyed {
                            key: span,
                            value: lit,
                        });
                    }
                }
                symbol::DEFAULT => {
                    let value = if meta.input.peek(Token![=]) {
                        Some(meta.value()?.parse::<Expr>()?)
                    } else {
                        None
                    };
                    set_once(&mut out.default, span, value, key, errors);
                }
                symbol::SECRET => flag(&meta, &mut out.secret, span, key, errors)?,
                symbol::SKIP => flag(&meta, &mut out.skip, span, key, errors)?,
                symbol::FLATTEN => {
                    let prefix = flatten(&meta, errors)?;
                    set_once(&mut out.flatten, span, prefix, key, errors);
                }
                symbol::VALIDATE => {
                    if let Some(path) = function(&meta, key, "check_port", errors)? {
                        set_once(&mut out.validate, span, path, key, errors);
                    }
                }
                symbol::HINT => {
                    if let Some(lit) = string(&meta, key, "use 8080 for the admin page", errors)? {
                        set_once(&mut out.hint, span, lit, key, errors);
                    }
                }
                _ => unknown_key(&meta, key, Place::Field, errors)?,
            }
            Ok(())
        });
        out
    }
}

/// Runs `each` on every key of every `#[mailconf(...)]`. A syntax error ends its attribute only.
fn for_each_key(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut each: impl FnMut(ParseNestedMeta<'_>, &str, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("mailconf")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.to_token_stream().to_string().replace(' ', "");
            each(meta, &key, errors)
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
}

fn key_span(meta: &ParseNestedMeta<'_>) -> Span {
    meta.path
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

fn set_once<T>(slot: &mut Option<Keyed<T>>, key: Span, value: T, name: &str, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(key, format!("`{name}` is given twice; keep one"));
    } else {
        *slot = Some(Keyed { key, value });
    }
}

/// `key = "text"`. A value of another kind is recorded as a mistake and gives `None`.
fn string(
    meta: &ParseNestedMeta<'_>,
    key: &str,
    example: &str,
    errors: &mut Errors,
) -> syn::Result<Option<LitStr>> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`{key}` needs a value: `{key} = \"{example}\"`")));
    }
    let value: Expr = meta.value()?.parse()?;
    if let Expr::Lit(ExprLit {
        lit: Lit::Str(lit), ..
    }) = value
    {
        return Ok(Some(lit));
    }
    // `prefix = MAIL_` is a string left unquoted: show it quoted.
    let shown = match &value {
        Expr::Path(path) => path.to_token_stream().to_string(),
        _ => example.to_owned(),
    };
    errors.spanning(
        &value,
        format!("`{key}` takes a string in double quotes: `{key} = \"{shown}\"`"),
    );
    Ok(None)
}

/// `key = path::to::function`. A string (serde's style) is recorded as a mistake.
fn function(
    meta: &ParseNestedMeta<'_>,
    key: &str,
    example: &str,
    errors: &mut Errors,
) -> syn::Result<Option<Expr>> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`{key}` needs a function: `{key} = {example}`")));
    }
    let value: Expr = meta.value()?.parse()?;
    if let Expr::Lit(ExprLit {
        lit: Lit::Str(lit), ..
    }) = &value
    {
        let shown = lit.value();
        let shown = if syn::parse_str::<syn::Path>(&shown).is_ok() {
            shown
        } else {
            example.to_owned()
        };
        errors.spanning(
            &value,
            format!("`{key}` takes a function path, not a string: `{key} = {shown}`"),
        );
        return Ok(None);
    }
    Ok(Some(value))
}

/// A key that takes no value, such as `secret`, recorded in `slot` (a value given is a mistake).
fn flag(
    meta: &ParseNestedMeta<'_>,
    slot: &mut Option<Keyed<()>>,
    span: Span,
    key: &str,
    errors: &mut Errors,
) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let value: Expr = meta.value()?.parse()?;
        errors.spanning(
            &value,
            format!("`{key}` takes no value: write `#[mailconf({key})]`, or leave it out"),
        );
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let rest: proc_macro2::TokenStream = content.parse()?;
        errors.spanning(
            rest,
            format!("`{key}` takes no arguments: write `#[mailconf({key})]`"),
        );
    }
    set_once(slot, span, (), key, errors);
    Ok(())
}

/// `flatten` or `flatten(prefix = "SMTP_")`.
fn flatten(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> syn::Result<Option<LitStr>> {
    if meta.input.peek(Token![=]) {
        let value: Expr = meta.value()?.parse()?;
        let shown = match &value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => lit.value(),
            _ => "SMTP_".to_owned(),
        };
        errors.spanning(
            &value,
            format!("write the prefix of a flattened struct as `flatten(prefix = \"{shown}\")`"),
        );
        return Ok(None);
    }
    if !meta.input.peek(syn::token::Paren) {
        return Ok(None);
    }
    let mut prefix = None;
    meta.parse_nested_meta(|inner| {
        let key = inner.path.to_token_stream().to_string().replace(' ', "");
        if key == symbol::PREFIX {
            if let Some(lit) = string(&inner, symbol::PREFIX, "SMTP_", errors)? {
                set_once(&mut prefix, key_span(&inner), lit, symbol::PREFIX, errors);
            }
        } else {
            let hint = match name::did_you_mean(&key, [symbol::PREFIX]) {
                Some(known) => format!("did you mean `{known}`?"),
                None => "the only one is `prefix`: `flatten(prefix = \"SMTP_\")`".to_owned(),
            };
            errors.spanning(
                &inner.path,
                format!("unknown `flatten` argument `{key}`; {hint}"),
            );
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    Ok(prefix.map(|keyed| keyed.value))
}

fn rename_all(lit: &LitStr, errors: &mut Errors) -> Option<RenameAll> {
    let value = lit.value();
    if let Some(rule) = RenameAll::from_name(&value) {
        return Some(rule);
    }
    let upper = value.to_uppercase().replace(['-', ' '], "_");
    let known = RenameAll::NAMES
        .iter()
        .copied()
        .find(|n| *n == upper)
        .or_else(|| name::did_you_mean(&value, RenameAll::NAMES));
    let hint = match known {
        Some(known) => format!("did you mean `rename_all = \"{known}\"`?"),
        None => "variable names are upper case, so the choices are \"SCREAMING_SNAKE_CASE\" (the default) and \"UPPERCASE\"".to_owned(),
    };
    errors.spanning(
        lit,
        format!("unknown `rename_all` rule \"{value}\"; {hint}"),
    );
    None
}

/// Records an unknown key, with a suggestion, and steps over its value.
fn unknown_key(
    meta: &ParseNestedMeta<'_>,
    key: &str,
    place: Place,
    errors: &mut Errors,
) -> syn::Result<()> {
    let (here, elsewhere) = match place {
        Place::Struct => (CONTAINER_KEYS, FIELD_KEYS),
        Place::Field => (FIELD_KEYS, CONTAINER_KEYS),
    };
    let message = if elsewhere.contains(&key) {
        misplaced(key, place)
    } else if let Some(known) = name::did_you_mean(key, here.iter().copied()) {
        format!("unknown attribute `{key}`; did you mean `{known}`?")
    } else {
        let what = if place == Place::Struct {
            "a struct"
        } else {
            "a field"
        };
        format!(
            "unknown attribute `{key}`; {what} takes `{}`",
            here.join("`, `")
        )
    };
    errors.spanning(&meta.path, message);
    skip_value(meta)
}

fn misplaced(key: &str, place: Place) -> String {
    match (place, key) {
        (Place::Field, symbol::PREFIX) => {
            "`prefix` goes on the struct; for a flattened field write `flatten(prefix = \"...\")`"
                .to_owned()
        }
        (Place::Field, symbol::RENAME_ALL) => {
            "`rename_all` goes on the struct; to rename one field, use `rename`".to_owned()
        }
        (Place::Field, _) => {
            format!("`{key}` goes on the struct, in the `#[mailconf(...)]` above it")
        }
        (Place::Struct, symbol::RENAME) => {
            "`rename` goes on a field; to rename every field, use `rename_all`".to_owned()
        }
        (Place::Struct, _) => format!("`{key}` goes on a field, not on the struct"),
    }
}

/// Consumes whatever follows an unknown key, so that the keys after it are still read.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}
