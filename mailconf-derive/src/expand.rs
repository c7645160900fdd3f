//! The generated `impl MailConfig`: a static schema and a `load_from` that loads every field
//! before giving up on any, so every problem is reported.
//!
//! Everything here is written from the checked [`Model`]: names, defaults and hooks were
//! decided by `valid.rs`, and nothing is recomputed from the attributes.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident};

use crate::ast::Input;
use crate::error::Errors;
use crate::literal;
use crate::model::{Default, Kind, Model, ModelField, Setting};
use crate::valid;

/// The derive's output for `node`: the impl, or every mistake plus a stand-in impl.
pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let input = Input::from_syn(node, &mut errors);
    let model = valid::check(&input, &mut errors);
    match errors.finish() {
        Ok(()) => impl_mail_config(&model),
        Err(error) => {
            let mut out = error.to_compile_error();
            out.extend(fallback(node));
            out
        }
    }
}

/// An impl whose bodies never run. With it, code that uses the struct compiles, so the user
/// sees the mistakes in the attributes and not "`MailConfig` is not implemented" wherever the
/// struct is loaded.
fn fallback(node: &DeriveInput) -> TokenStream {
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::mailconf_core::MailConfig for #ident #ty_generics #where_clause {
            fn schema() -> &'static ::mailconf_core::Schema {
                ::core::unimplemented!("#[derive(MailConfig)] failed")
            }
            fn load_from(_: &mut ::mailconf_core::Loader<'_>) -> ::core::option::Option<Self> {
                ::core::unimplemented!("#[derive(MailConfig)] failed")
            }
        }
    }
}

fn impl_mail_config(model: &Model<'_>) -> TokenStream {
    let Model {
        ident,
        name,
        doc,
        prefix,
        allow_unknown,
        deny_unknown,
        case_insensitive,
        ..
    } = model;
    // A typed `const` makes a table of the wrong type fail at the attribute.
    let foreign_keys = match model.foreign_keys {
        Some(keyed) => {
            let path = &keyed.value;
            let ty = quote_spanned!(keyed.key=> &'static [::mailconf_core::ForeignKey]);
            quote!({ const TABLE: #ty = #path; TABLE })
        }
        None => quote!(&[]),
    };
    let schemas = model.loaded().map(field_schema);
    let load_from = load_from(model);
    let partial = partial_struct(model);
    quote! {
        #partial

        #[automatically_derived]
        impl ::mailconf_core::MailConfig for #ident {
            fn schema() -> &'static ::mailconf_core::Schema {
                static SCHEMA: ::mailconf_core::Schema = ::mailconf_core::Schema {
                    name: #name,
                    doc: #doc,
                    prefix: #prefix,
                    allow_unknown: #allow_unknown,
                    deny_unknown: #deny_unknown,
                    foreign_keys: #foreign_keys,
                    case_insensitive: #case_insensitive,
                    fields: &[#(#schemas),*],
                };
                &SCHEMA
            }

            #load_from
        }
    }
}

/// A loaded field's `FieldSchema` literal.
fn field_schema(field: &ModelField<'_>) -> TokenStream {
    let (name, doc, ty) = (&field.name, field.doc, field.ty);
    let setting = match &field.kind {
        Kind::Setting(setting) => setting,
        Kind::Flatten { prefix } => {
            let nested = quote_spanned!(ty.span()=> ::mailconf_core::__private::nested::<#ty>());
            return quote! {
                ::mailconf_core::FieldSchema {
                    field: #name,
                    name: "",
                    absolute: false,
                    aliases: &[],
                    renamed_from: &[],
                    required_unless: &[],
                    type_name: "settings",
                    json_type: "object",
                    choices: &[],
                    default: ::mailconf_core::DefaultValue::None,
                    optional: false,
                    secret: false,
                    hint: ::core::option::Option::None,
                    doc: #doc,
                    kind: ::mailconf_core::FieldKind::Flatten { prefix: #prefix, schema: #nested.schema },
                }
            };
        }
        Kind::Skip(_) => unreachable!("skipped fields have no schema"),
    };
    let Setting {
        variable,
        absolute,
        aliases,
        renamed_from,
        required_unless,
        ..
    } = setting;
    let value = Ident::new("VALUE", Span::mixed_site());
    let mut choice_check = TokenStream::new();
    let default = match &setting.default {
        Default::None => quote!(::mailconf_core::DefaultValue::None),
        Default::Trait(_) => quote!(::mailconf_core::DefaultValue::Expr("Default::default()")),
        Default::Literal { text, expr, .. } => {
            // A type with `CHOICES` (an enum deriving `FromValue`) is unknown to the derive;
            // the check runs when rustc evaluates this constant.
            let message = format!(
                "this default can never load into `{name}`: \"{text}\" is not one of the values of `{}`",
                literal::code_text_of(ty)
            );
            choice_check = quote_spanned! {expr.span()=>
                const _: () = ::core::assert!(
                    ::mailconf_core::__private::is_choice(#value.choices, #text),
                    #message
                );
            };
            quote!(::mailconf_core::DefaultValue::Text(#text))
        }
        Default::Expr { text, .. } => quote!(::mailconf_core::DefaultValue::Expr(#text)),
    };
    // `secret` on a type that prints itself would leak through the user's `#[derive(Debug)]`:
    // a bound at the field's type refuses it, naming `Secret<T>`.
    let (secret, secret_bound) = if setting.secret.is_some() {
        let bound =
            quote_spanned!(ty.span()=> const _: () = ::mailconf_core::__private::secret::<#ty>(););
        (quote!(true), bound)
    } else {
        (quote!(#value.secret), TokenStream::new())
    };
    let hint = match &setting.hint {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let facts = quote_spanned!(ty.span()=> ::mailconf_core::__private::value::<#ty>());
    quote! {
        {
            #secret_bound
            const #value: ::mailconf_core::__private::Value<#ty> = #facts;
            #choice_check
            ::mailconf_core::FieldSchema {
                field: #name,
                name: #variable,
                absolute: #absolute,
                aliases: &[#(#aliases),*],
                renamed_from: &[#(#renamed_from),*],
                required_unless: &[#(#required_unless),*],
                type_name: #value.type_name,
                json_type: #value.json_type,
                choices: #value.choices,
                default: #default,
                optional: #value.optional,
                secret: #secret,
                hint: #hint,
                doc: #doc,
                kind: ::mailconf_core::FieldKind::Value,
            }
        }
    }
}

/// The statement that loads one field into its local.
fn load_field(field: &ModelField<'_>, index: usize, local: &Ident) -> TokenStream {
    let loader = Ident::new("loader", Span::mixed_site());
    let fields = Ident::new("fields", Span::mixed_site());
    let check = Ident::new("check", Span::mixed_site());
    let index = Literal::usize_unsuffixed(index);
    let ty = field.ty;
    let setting = match &field.kind {
        Kind::Setting(setting) => setting,
        Kind::Flatten { .. } => {
            let nested = quote_spanned!(ty.span()=> ::mailconf_core::__private::nested::<#ty>());
            return quote!(let #local = #nested.load(#loader, &#fields[#index]););
        }
        Kind::Skip(_) => unreachable!("skipped fields are not loaded"),
    };
    let default = match &setting.default {
        Default::Trait(key) => {
            quote_spanned!(*key=> ::core::option::Option::Some(::core::default::Default::default))
        }
        Default::Expr { expr, .. } => quote!(::core::option::Option::Some(|| #expr)),
        // A literal is in the schema, parsed by the loader like a value from the environment.
        Default::Literal { .. } | Default::None => quote!(::core::option::Option::None),
    };
    let facts = quote_spanned!(ty.span()=> ::mailconf_core::__private::value::<#ty>());
    let Some(validate) = setting.validate else {
        return quote!(let #local = #facts.load(#loader, &#fields[#index], #default, ::core::option::Option::None););
    };
    // A typed `let` makes a hook of the wrong type fail here, the message pointing at both
    // the hook and the `validate` key, with the expected signature.
    let path = &validate.value;
    let check_type = quote_spanned!(validate.key=> ::mailconf_core::__private::FieldCheck<#ty>);
    quote! {
        let #local = {
            let #check: #check_type = #path;
            #facts.load(#loader, &#fields[#index], #default, ::core::option::Option::Some(#check))
        };
    }
}

fn load_from(model: &Model<'_>) -> TokenStream {
    // Mixed-site names cannot be seen by the user's tokens, so a default expression that
    // mentions `loader` or a field name means the user's item of that name, never ours.
    let loader = Ident::new("loader", Span::mixed_site());
    let fields = Ident::new("fields", Span::mixed_site());
    let check = Ident::new("check", Span::mixed_site());
    // The prefix keeps a field named `loader`, `fields`, `value` or `check` from shadowing the
    // generated local of that name.
    let local = |f: &ModelField<'_>| Ident::new(&format!("f_{}", f.name), Span::mixed_site());
    let loaded: Vec<&ModelField<'_>> = model.loaded().collect();
    let locals: Vec<Ident> = loaded.iter().map(|f| local(f)).collect();
    let loads = loaded
        .iter()
        .zip(&locals)
        .enumerate()
        .map(|(index, (f, local))| load_field(f, index, local));
    let inits = model.fields.iter().map(|f| {
        let member = f.ident;
        match f.kind {
            Kind::Skip(key) => quote_spanned!(key=> #member: ::core::default::Default::default()),
            _ => {
                let local = local(f);
                quote!(#member: #local)
            }
        }
    });
    let value = Ident::new("value", Span::mixed_site());
    let build = if locals.is_empty() {
        quote!(::core::option::Option::Some(Self { #(#inits),* }))
    } else {
        quote! {
            if let (#(::core::option::Option::Some(#locals),)*) = (#(#locals,)*) {
                ::core::option::Option::Some(Self { #(#inits),* })
            } else {
                ::core::option::Option::None
            }
        }
    };
    let bind_fields = (!loaded.is_empty())
        .then(|| quote!(let #fields = <Self as ::mailconf_core::MailConfig>::schema().fields;));
    // The hook runs on the fields that loaded, so that one bad value hides no rule between
    // the others; the struct is built only if it reported nothing.
    let check_partial = model.check.as_ref().map(|hook| {
        let (path, partial) = (&hook.hook.value, &hook.partial);
        let check_type =
            quote_spanned!(hook.hook.key=> ::mailconf_core::__private::StructCheck<#partial>);
        let members: Vec<&Ident> = loaded.iter().map(|f| f.ident).collect();
        let value = Ident::new("partial", Span::mixed_site());
        quote! {
            let #value = #partial { #(#members: #locals),* };
            let #check: #check_type = #path;
            if !#loader.check::<Self, _>(&#value, #check) {
                return ::core::option::Option::None;
            }
            let #partial { #(#members: #locals),* } = #value;
        }
    });
    quote! {
        fn load_from(#loader: &mut ::mailconf_core::Loader<'_>) -> ::core::option::Option<Self> {
            #bind_fields
            // Every field is loaded before any is given up on, so every problem is recorded.
            #(#loads)*
            #check_partial
            let #value = #build;
            #loader.finish(#value, ::core::option::Option::None)
        }
    }
}

/// The struct a struct's validate hook gets: each loaded field as an `Option`, `None` when the
/// field did not load. Nothing when the struct has no hook.
fn partial_struct(model: &Model<'_>) -> Option<TokenStream> {
    let ident = &model.check.as_ref()?.partial;
    let vis = model.vis;
    let doc = format!(
        "The settings of [`{}`] that loaded, given to its `validate` hook: a field is `None` when it did not load (its problem is reported already), and a rule that needs it is skipped.",
        model.ident
    );
    let fields = model.loaded().map(|f| {
        let (vis, member, ty) = (f.vis, f.ident, f.ty);
        let doc = format!("`{}`, or `None` when it did not load.", f.name);
        quote!(#[doc = #doc] #vis #member: ::core::option::Option<#ty>)
    });
    Some(quote! {
        #[doc = #doc]
        #vis struct #ident { #(#fields),* }
    })
}

#[cfg(test)]
mod tests {
    use proc_macro2::{TokenStream, TokenTree};

    use super::derive;

    /// A struct of `n` fields cycling through the five kinds of field the derive expands
    /// differently. The field types are only names: the expansion is never compiled here.
    fn settings(n: usize) -> syn::DeriveInput {
        let fields: String = (0..n)
            .map(|i| match i % 5 {
                0 => format!("/// Field {i}.\n field_{i}: u16,"),
                1 => format!("#[mailconf(default = 587)] field_{i}: Port,"),
                2 => format!("#[mailconf(default = Duration::from_secs(5), alias = \"OLD_{i}\")] field_{i}: Duration,"),
                3 => format!("#[mailconf(validate = check)] field_{i}: Maybe<Text>,"),
                _ => format!("#[mailconf(flatten(prefix = \"N{i}_\"))] field_{i}: Nested,"),
            })
            .collect();
        syn::parse_str(&format!(
            "#[mailconf(prefix = \"APP_\")] struct Settings {{ {fields} }}"
        ))
        .unwrap()
    }

    fn count(tokens: TokenStream) -> usize {
        tokens
            .into_iter()
            .map(|t| match t {
                TokenTree::Group(g) => 1 + count(g.stream()),
                _ => 1,
            })
            .sum()
    }

    /// The acceptance: generated code grows linearly with the number of fields.
    #[test]
    fn output_grows_linearly_with_the_number_of_fields() {
        let [t10, t20, t40] = [10, 20, 40].map(|n| count(derive(&settings(n))));
        // Twice the fields add twice the tokens: no part of the output grows faster.
        assert_eq!(t40 - t20, 2 * (t20 - t10), "{t10} {t20} {t40}");
        #[allow(clippy::cast_precision_loss)]
        let per_field = (t40 - t20) as f64 / 20.0;
        // Shown by `cargo test -p mailconf-derive -- --nocapture`; quoted in docs/BENCHMARKS.md.
        println!(
            "tokens: 10 fields {t10}, 20 fields {t20}, 40 fields {t40}; {per_field} per field"
        );
    }

    #[test]
    fn a_mistake_gives_errors_and_a_stand_in_impl() {
        let input =
            syn::parse_str("#[mailconf(prefx = \"A_\")] struct S { #[mailconf(defualt)] a: u16 }")
                .unwrap();
        let out = derive(&input).to_string();
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(out.contains("did you mean `prefix`?"), "{out}");
        assert!(out.contains("did you mean `default`?"), "{out}");
        assert!(
            out.contains("impl :: mailconf_core :: MailConfig for S"),
            "{out}"
        );
        assert!(out.contains("unimplemented"), "{out}");
    }

    #[test]
    fn every_path_in_the_output_is_absolute() {
        let out = derive(&settings(10)).to_string();
        let words: Vec<&str> = out.split_whitespace().collect();
        for pair in words.windows(2) {
            let prelude = [
                "Option", "Some", "None", "Result", "Ok", "Err", "Default", "Box", "String",
            ];
            assert!(
                !prelude.contains(&pair[1]) || pair[0] == "::",
                "`{}` is not fully qualified in:\n{out}",
                pair[1]
            );
        }
    }
}
