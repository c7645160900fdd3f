//! `#[derive(FromValue)]` on a unit enum: a setting that takes one of a few names.
//!
//! Each variant is one allowed value, named in snake_case (`StartTls` → `start_tls`) unless
//! `#[mailconf(rename = "...")]` says otherwise; `#[mailconf(alias = "...")]` adds spellings that
//! are accepted but not listed. Values match in any ASCII case. The names become
//! `FromValue::CHOICES`, which errors, the schema and JSON Schema's `enum` list, and which a
//! literal `default` is checked against at compile time.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{Attribute, Data, DeriveInput, Expr, ExprLit, Fields, Lit, LitStr, Token};

use crate::error::Errors;
use crate::name;

const VARIANT_KEYS: [&str; 2] = ["rename", "alias"];

/// One variant: its ident and every spelling, the listed name first.
struct Variant<'a> {
    ident: &'a syn::Ident,
    names: Vec<(String, Span)>,
}

pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let variants = variants(node, &mut errors);
    match errors.finish() {
        Ok(()) => expand(node, &variants),
        Err(error) => {
            let mut out = error.to_compile_error();
            out.extend(fallback(node));
            out
        }
    }
}

/// An impl whose body never runs, for an enum with mistakes: code that loads it still compiles,
/// so the user sees the mistakes and not "`FromValue` is not implemented" wherever it is used.
fn fallback(node: &DeriveInput) -> TokenStream {
    if !matches!(node.data, Data::Enum(_)) || !node.generics.params.is_empty() {
        return TokenStream::new();
    }
    let ident = &node.ident;
    quote! {
        #[automatically_derived]
        impl ::mailconf_core::FromValue for #ident {
            const TYPE_NAME: &'static str = "value";
            fn from_value(_: &str) -> ::core::result::Result<Self, ::mailconf_core::Invalid> {
                ::core::unimplemented!("#[derive(FromValue)] failed")
            }
        }
    }
}

fn variants<'a>(node: &'a DeriveInput, errors: &mut Errors) -> Vec<Variant<'a>> {
    let Data::Enum(data) = &node.data else {
        errors.at(
            node.ident.span(),
            "`FromValue` can be derived only for an enum of unit variants, one per allowed value; \
             for a struct, implement `mailconf_core::FromValue` or wrap a `FromStr` type in `mailconf_core::Parsed`",
        );
        return Vec::new();
    };
    if !node.generics.params.is_empty() {
        errors.spanning(&node.generics, "a settings value enum cannot be generic");
    }
    if data.variants.is_empty() {
        errors.at(
            node.ident.span(),
            format!(
                "`{}` has no variants, so no value could ever load; add one per allowed value",
                node.ident
            ),
        );
    }
    let mut out: Vec<Variant<'a>> = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            errors.spanning(
                &variant.fields,
                format!(
                    "`{}` holds data, but a setting of this enum is one of a few names; \
                     make it a unit variant, or implement `mailconf_core::FromValue` by hand",
                    variant.ident
                ),
            );
            continue;
        }
        let mut names = vec![(snake_case(&variant.ident.to_string()), variant.ident.span())];
        parse_attrs(&variant.attrs, &mut names, errors);
        for (name, span) in &names {
            if name.is_empty() || name.trim() != name || name.contains(',') {
                errors.at(
                    *span,
                    "a value's name must be non-empty, without commas or surrounding spaces",
                );
            }
            let taken = out
                .iter()
                .flat_map(|v| v.names.iter().map(move |(n, _)| (v.ident, n)))
                .find(|(_, n)| n.eq_ignore_ascii_case(name));
            if let Some((other, _)) = taken {
                errors.at(
                    *span,
                    format!("the value \"{name}\" already names `{other}` (case does not matter); give one of them another name"),
                );
            }
        }
        out.push(Variant {
            ident: &variant.ident,
            names,
        });
    }
    out
}

/// `#[mailconf(rename = "x", alias = "y")]` on a variant: `rename` replaces the listed name.
fn parse_attrs(attrs: &[Attribute], names: &mut Vec<(String, Span)>, errors: &mut Errors) {
    let mut renamed = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("mailconf")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.to_token_stream().to_string();
            if !VARIANT_KEYS.contains(&key.as_str()) {
                let hint = match name::did_you_mean(&key, VARIANT_KEYS) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => "a variant takes `rename` and `alias`".to_owned(),
                };
                errors.spanning(&meta.path, format!("unknown attribute `{key}`; {hint}"));
                if meta.input.peek(Token![=]) {
                    meta.value()?.parse::<Expr>()?;
                }
                return Ok(());
            }
            let value: Expr = meta.value()?.parse()?;
            let Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) = &value
            else {
                errors.spanning(
                    &value,
                    format!("`{key}` takes a string in double quotes: `{key} = \"starttls\"`"),
                );
                return Ok(());
            };
            let entry = (LitStr::value(lit), lit.span());
            if key == "alias" {
                names.push(entry);
            } else if renamed {
                errors.at(lit.span(), "`rename` is given twice; keep one");
            } else {
                renamed = true;
                names[0] = entry;
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
}

/// `StartTls` → `start_tls`, `HTTP2` → `http2`.
fn snake_case(ident: &str) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let mut out = String::new();
    let chars: Vec<char> = ident.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let after_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
        let before_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let prev_upper = i > 0 && chars[i - 1].is_uppercase();
        if c.is_uppercase() && (after_lower || (prev_upper && before_lower)) {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn expand(node: &DeriveInput, variants: &[Variant<'_>]) -> TokenStream {
    let ident = &node.ident;
    let choices: Vec<&str> = variants.iter().map(|v| v.names[0].0.as_str()).collect();
    let type_name = format!("one of {}", choices.join(", "));
    let spellings = variants.iter().map(|v| {
        let names = v.names.iter().map(|(n, _)| n);
        quote!(&[#(#names),*])
    });
    let count = variants.len();
    let arms = variants.iter().enumerate().map(|(i, v)| {
        let variant = v.ident;
        if i + 1 == count {
            quote!(_ => #ident::#variant)
        } else {
            quote!(#i => #ident::#variant)
        }
    });
    quote! {
        #[automatically_derived]
        impl ::mailconf_core::FromValue for #ident {
            const TYPE_NAME: &'static str = #type_name;
            const CHOICES: &'static [&'static str] = &[#(#choices),*];

            fn from_value(raw: &str) -> ::core::result::Result<Self, ::mailconf_core::Invalid> {
                const NAMES: &[&[&str]] = &[#(#spellings),*];
                let index = ::mailconf_core::__private::choose(raw, NAMES, Self::CHOICES)?;
                ::core::result::Result::Ok(match index {
                    #(#arms),*
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_become_snake_case() {
        assert_eq!(snake_case("StartTls"), "start_tls");
        assert_eq!(snake_case("Plain"), "plain");
        assert_eq!(snake_case("HTTP2"), "http2");
        assert_eq!(snake_case("HttpAPIKey"), "http_api_key");
    }

    #[test]
    fn mistakes_are_errors_not_impls() {
        let bad: DeriveInput = syn::parse_str(
            "enum E { A(u8), #[mailconf(renme = \"x\")] B, #[mailconf(alias = \"b\")] C }",
        )
        .unwrap();
        let out = derive(&bad).to_string();
        assert!(out.contains("holds data"), "{out}");
        assert!(out.contains("did you mean `rename`?"), "{out}");
        assert!(out.contains("already names `B`"), "{out}");
        assert!(
            out.contains("unimplemented"),
            "only the stand-in impl: {out}"
        );
        assert!(!out.contains("choose"), "{out}");
    }
}
