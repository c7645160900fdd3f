//! The derive input as mailconf sees it: a struct, its attributes and its fields.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{
    Attribute, Data, DeriveInput, Expr, ExprLit, Fields, Generics, Ident, Lit, Meta, Type,
    Visibility,
};

use crate::attr::{Container, FieldAttrs};
use crate::error::Errors;

/// A struct deriving `MailConfig`.
pub(crate) struct Input<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub attrs: Container,
    pub doc: String,
    /// Empty when the input is not a struct with named fields (already reported).
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    pub doc: String,
}

/// A field's variable name before any prefix is applied.
pub(crate) struct Variable {
    /// The name after the prefix, or the whole name when `absolute`.
    pub name: String,
    /// Given by `env`: no prefix is put before it.
    pub absolute: bool,
    /// Where a mistake about the name points: the `env` or `rename` string, or the field name.
    pub span: Span,
}

impl<'a> Input<'a> {
    /// Reads the struct and its attributes, recording every mistake of shape or syntax.
    pub(crate) fn from_syn(node: &'a DeriveInput, errors: &mut Errors) -> Self {
        errors.set_item(None);
        let attrs = Container::parse(&node.attrs, errors);
        let fields = match &node.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .enumerate()
                    .map(|(index, f)| {
                        errors.set_item(Some(index));
                        Field::from_syn(f, errors)
                    })
                    .collect(),
                Fields::Unnamed(unnamed) => {
                    errors.spanning(
                        unnamed,
                        format!(
                            "`MailConfig` needs named fields, one per setting, so each has a name to build its variable from; \
                             write `struct {} {{ port: Port, ... }}`",
                            node.ident
                        ),
                    );
                    Vec::new()
                }
                Fields::Unit => {
                    errors.spanning(
                        keyword_and_name(&data.struct_token, &node.ident),
                        format!("`{}` has no fields, so there are no settings to load; add named fields, one per setting", node.ident),
                    );
                    Vec::new()
                }
            },
            Data::Enum(data) => {
                errors.spanning(
                    keyword_and_name(&data.enum_token, &node.ident),
                    "`MailConfig` can only be derived for a struct with named fields, not an enum; \
                     for a setting that takes one of a few values, derive `mailconf_core::FromValue` on the enum",
                );
                Vec::new()
            }
            Data::Union(data) => {
                errors.spanning(
                    keyword_and_name(&data.union_token, &node.ident),
                    "`MailConfig` can only be derived for a struct with named fields, not a union",
                );
                Vec::new()
            }
        };
        Input {
            ident: &node.ident,
            vis: &node.vis,
            generics: &node.generics,
            attrs,
            doc: doc(&node.attrs),
            fields,
        }
    }

    /// The struct name as written, without `r#`.
    pub(crate) fn name(&self) -> String {
        unraw(self.ident)
    }

    /// The struct's own prefix (`prefix = "MAIL_"`), empty when it has none: what the checks
    /// validate names under and what the expansion writes into the schema.
    pub(crate) fn prefix(&self) -> String {
        self.attrs
            .prefix
            .as_ref()
            .map(|p| p.value.value())
            .unwrap_or_default()
    }
}

impl<'a> Field<'a> {
    fn from_syn(node: &'a syn::Field, errors: &mut Errors) -> Self {
        Field {
            ident: node.ident.as_ref().expect("named fields have names"),
            vis: &node.vis,
            ty: &node.ty,
            attrs: FieldAttrs::parse(&node.attrs, errors),
            doc: doc(&node.attrs),
        }
    }

    /// The field name as written, without `r#`.
    pub(crate) fn name(&self) -> String {
        unraw(self.ident)
    }

    /// The field's variable name under the struct's naming rule.
    pub(crate) fn variable(&self, input: &Input<'_>) -> Variable {
        if let Some(env) = &self.attrs.env {
            return Variable {
                name: env.value.value(),
                absolute: true,
                span: env.value.span(),
            };
        }
        if let Some(rename) = &self.attrs.rename {
            return Variable {
                name: rename.value.value(),
                absolute: false,
                span: rename.value.span(),
            };
        }
        let rule = input
            .attrs
            .rename_all
            .as_ref()
            .map(|r| r.value)
            .unwrap_or_default();
        Variable {
            name: rule.apply(&self.name()),
            absolute: false,
            span: self.ident.span(),
        }
    }

    /// Loaded from the settings, as opposed to `skip`ped.
    pub(crate) fn is_loaded(&self) -> bool {
        self.attrs.skip.is_none()
    }
}

fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_owned).unwrap_or(name)
}

/// The doc comment: its lines joined with `\n`, each without the one space `/// ` leaves.
fn doc(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if let Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(ExprLit {
                lit: Lit::Str(text),
                ..
            }) = &nv.value
        {
            let text = text.value();
            // `split`, not `lines`: an empty `///` line is a paragraph break and must stay.
            lines.extend(
                text.split('\n')
                    .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned()),
            );
        }
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

/// `struct Foo`, `enum Foo`: what a message about the kind of item underlines.
fn keyword_and_name(keyword: &impl ToTokens, ident: &Ident) -> TokenStream {
    quote!(#keyword #ident)
}
