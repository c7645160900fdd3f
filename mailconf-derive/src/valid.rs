//! Every check of a derive input that needs more than one attribute to decide: names,
//! conflicting attributes, literal defaults, and variables claimed twice.

use proc_macro2::Span;
use syn::LitStr;

use crate::ast::{Field, Input};
use crate::error::Errors;
use crate::literal;
use crate::model::{Default, Kind, Model, ModelField, Setting};
use crate::name::{self, Verdict};

/// Records every mistake in `input`, and returns the model the expansion writes out (used only
/// when nothing was recorded).
pub(crate) fn check<'a>(input: &'a Input<'a>, errors: &mut Errors) -> Model<'a> {
    errors.set_item(None);
    let mut model = Model::new(input);
    if let Some(p) = &input.attrs.prefix {
        check_name(&p.value, "prefix", Piece::Prefix, errors);
    }
    check_generics(input, errors);
    let mut claims = Claims::default();
    for (index, field) in input.fields.iter().enumerate() {
        errors.set_item(Some(index));
        check_conflicts(field, errors);
        let kind = if let Some(skip) = &field.attrs.skip {
            Kind::Skip(skip.key)
        } else if let Some(flatten) = &field.attrs.flatten {
            if let Some(p) = &flatten.value {
                check_name(p, "flatten(prefix)", Piece::AfterPrefix, errors);
            }
            let prefix = flatten
                .value
                .as_ref()
                .map(LitStr::value)
                .unwrap_or_default();
            Kind::Flatten { prefix }
        } else {
            let setting = Setting::new(field, input, &model.prefix);
            check_names(field, &setting, &model.prefix, errors);
            check_default(field, &setting, errors);
            check_required_unless(field, input, errors);
            claim_names(field, &setting, &mut claims, errors);
            Kind::Setting(setting)
        };
        model.fields.push(ModelField::new(field, kind));
    }
    model
}

fn check_generics(input: &Input<'_>, errors: &mut Errors) {
    let generics = input.generics;
    if generics.params.is_empty() {
        return;
    }
    let what = if generics.lifetimes().next().is_some() && generics.type_params().next().is_none() {
        "a settings struct cannot borrow: use owned field types such as `String` instead of `&'a str`"
    } else {
        "give every field a concrete type, such as `Port` or `String`"
    };
    errors.spanning(
        generics,
        format!(
            "`MailConfig` cannot be derived for a struct with generic parameters (`{}`); {what}",
            literal::code_text_of(generics)
        ),
    );
}

/// Attributes that contradict each other on one field.
fn check_conflicts(field: &Field<'_>, errors: &mut Errors) {
    let a = &field.attrs;
    let name = field.name();
    let given = [
        ("env", a.env.as_ref().map(|k| k.key)),
        ("rename", a.rename.as_ref().map(|k| k.key)),
        ("alias", a.aliases.first().map(|k| k.key)),
        ("renamed_from", a.renamed_from.first().map(|k| k.key)),
        ("required_unless", a.required_unless.first().map(|k| k.key)),
        ("default", a.default.as_ref().map(|k| k.key)),
        ("secret", a.secret.as_ref().map(|k| k.key)),
        ("flatten", a.flatten.as_ref().map(|k| k.key)),
        ("validate", a.validate.as_ref().map(|k| k.key)),
        ("hint", a.hint.as_ref().map(|k| k.key)),
    ];
    let given = given
        .iter()
        .filter_map(|(key, span)| span.map(|s| (*key, s)));
    if a.skip.is_some() {
        for (key, span) in given {
            let why = if key == "default" {
                "is always `Default::default()`"
            } else {
                "is not loaded at all"
            };
            errors.at(span, format!("`{key}` has no effect on a `skip` field: `{name}` {why}; remove `{key}` or `skip`"));
        }
        return;
    }
    if a.flatten.is_some() {
        for (key, span) in given.filter(|(key, _)| *key != "flatten") {
            let why = match key {
                "secret" => "mark the secret fields inside the nested struct instead".to_owned(),
                "default" => {
                    "give defaults to the fields inside the nested struct instead".to_owned()
                }
                "validate" => "use `validate` on the nested struct itself instead".to_owned(),
                "env" | "rename" => {
                    "to put the nested names under a prefix, use `flatten(prefix = \"...\")`"
                        .to_owned()
                }
                _ => format!("put `{key}` on the fields inside the nested struct instead"),
            };
            errors.at(
                span,
                format!("`{key}` cannot be used with `flatten`: `{name}` holds several settings, not one; {why}"),
            );
        }
        return;
    }
    if a.env.is_some()
        && let Some(rename) = &a.rename
    {
        errors.at(
            rename.key,
            format!(
                "`env` and `rename` both name the variable of `{name}`; keep one: `env = \"...\"` gives the \
                 whole name, `rename = \"...\"` the part after the prefix"
            ),
        );
    }
    if let Some(default) = &a.default
        && let Some(inner) = literal::option_inner(field.ty)
    {
        let inner = literal::code_text_of(inner);
        errors.at(
            default.key,
            format!(
                "`default` has no effect on the `Option` field `{name}`: an unset `Option` is `None`; \
                 remove `default`, or make the field a plain `{inner}` so that the default is used"
            ),
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A full variable name.
    Full,
    /// The struct's prefix.
    Prefix,
    /// Put after a prefix: may start with a digit when the prefix is not empty.
    AfterPrefix,
}

/// Records a mistake in a name given as a string; returns whether it is valid.
fn check_name(lit: &LitStr, key: &str, piece: Piece, errors: &mut Errors) -> bool {
    let value = lit.value();
    let verdict = match piece {
        Piece::Full | Piece::Prefix => name::check(&value),
        Piece::AfterPrefix => name::check_piece(&value, true),
    };
    let problem = match verdict {
        Verdict::Valid => return true,
        Verdict::Empty if piece == Piece::Prefix => return true,
        Verdict::Empty => "it is empty".to_owned(),
        Verdict::Fixable(mut fixed) => {
            // `prefix = "mail"` gives `mailport`: the underscore is missing too.
            if piece == Piece::Prefix && !fixed.ends_with('_') {
                fixed.push('_');
            }
            let written = if key == "flatten(prefix)" {
                format!("flatten(prefix = \"{fixed}\")")
            } else {
                format!("{key} = \"{fixed}\"")
            };
            format!("environment variable names are upper case; write `{written}`")
        }
        Verdict::StartsWithDigit => "a variable name cannot start with a digit".to_owned(),
        Verdict::BadCharacter(c) => {
            format!("`{c}` cannot be part of a variable name: use only A-Z, 0-9 and `_`")
        }
    };
    errors.spanning(lit, format!("invalid `{key}` \"{value}\": {problem}"));
    false
}

fn check_names(field: &Field<'_>, setting: &Setting<'_>, prefix: &str, errors: &mut Errors) {
    let a = &field.attrs;
    if let Some(env) = &a.env {
        check_name(&env.value, "env", Piece::Full, errors);
    } else if let Some(rename) = &a.rename {
        let piece = if prefix.is_empty() {
            Piece::Full
        } else {
            Piece::AfterPrefix
        };
        check_name(&rename.value, "rename", piece, errors);
    } else if let Verdict::BadCharacter(c) = name::check_piece(&setting.variable, true) {
        errors.at(
            setting.span,
            format!(
                "the field name `{}` gives the variable name `{}`, and `{c}` cannot be part of a variable name; \
                 name the variable with `#[mailconf(rename = \"...\")]` using only A-Z, 0-9 and `_`",
                field.name(),
                setting.variable
            ),
        );
    }
    for alias in &a.aliases {
        check_name(&alias.value, "alias", Piece::Full, errors);
    }
    for old in &a.renamed_from {
        check_name(&old.value, "renamed_from", Piece::Full, errors);
    }
}

/// A literal default that can never load, checked with the parser used at run time.
fn check_default(field: &Field<'_>, setting: &Setting<'_>, errors: &mut Errors) {
    let Default::Literal { kind, text, expr } = &setting.default else {
        return;
    };
    let Some(type_name) = literal::check_name(field.ty) else {
        return;
    };
    let Some(Err(invalid)) = mailconf_values::check_literal(&type_name, *kind, text) else {
        return;
    };
    let name = field.name();
    let message = if invalid.code == "wrong_literal" {
        format!("wrong default for `{name}`: {}", invalid.message)
    } else {
        let hint = invalid
            .hint
            .map(|h| format!("; hint: {h}"))
            .unwrap_or_default();
        format!(
            "this default can never load into `{name}` (type `{type_name}`): {}{hint}",
            invalid.message
        )
    };
    errors.spanning(expr, message);
}

/// The variables claimed so far in one struct, so a second claim can name the first.
#[derive(Default)]
struct Claims {
    taken: Vec<(String, String)>,
}

impl Claims {
    /// Claims `key` as `what`; on a clash, records a mistake at `span` built by `message`.
    fn claim(
        &mut self,
        key: &str,
        what: String,
        span: Span,
        errors: &mut Errors,
        message: impl FnOnce(&str) -> String,
    ) {
        if let Some((_, first)) = self.taken.iter().find(|(k, _)| k == key) {
            errors.at(span, message(first));
        } else {
            self.taken.push((key.to_owned(), what));
        }
    }
}

fn claim_names(field: &Field<'_>, setting: &Setting<'_>, claims: &mut Claims, errors: &mut Errors) {
    let a = &field.attrs;
    let name = field.name();
    let key = &setting.key;
    claims.claim(key, format!("the variable of field `{name}`"), setting.span, errors, |first| {
        format!(
            "field `{name}` reads `{key}`, which is already {first}; give one of them another name with \
             `#[mailconf(rename = \"...\")]` or `#[mailconf(env = \"...\")]`"
        )
    });
    if setting.is_secret {
        let file_key = format!("{key}_FILE");
        claims.claim(&file_key, format!("the file variable of the secret field `{name}`"), setting.span, errors, |first| {
            format!("the secret field `{name}` can be read from the file named by `{file_key}`, but that is already {first}")
        });
    }
    for alias in &a.aliases {
        let alias_key = alias.value.value();
        if alias_key == *key {
            errors.spanning(
                &alias.value,
                format!("alias `{alias_key}` is the variable `{name}` already reads; remove it"),
            );
            continue;
        }
        claims.claim(
            &alias_key,
            format!("an alias of field `{name}`"),
            alias.value.span(),
            errors,
            |first| format!("alias `{alias_key}` is already {first}"),
        );
    }
    for old in &a.renamed_from {
        let old_key = old.value.value();
        if old_key == *key {
            errors.spanning(
                &old.value,
                format!(
                    "`renamed_from` takes a former name that is no longer accepted, but `{old_key}` is \
                     the name `{name}` reads now; remove it"
                ),
            );
            continue;
        }
        claims.claim(
            &old_key,
            format!("the old name of field `{name}`"),
            old.value.span(),
            errors,
            |first| format!("renamed_from `{old_key}` is already {first}"),
        );
    }
}

/// `required_unless` names value fields of the same struct, and only makes sense on an `Option`.
fn check_required_unless(field: &Field<'_>, input: &Input<'_>, errors: &mut Errors) {
    let name = field.name();
    let list = &field.attrs.required_unless;
    if let Some(first) = list.first()
        && literal::option_inner(field.ty).is_none()
    {
        errors.at(
            first.key,
            format!(
                "`required_unless` only applies to an `Option` field: `{name}` is required anyway; \
                 make it `Option<{}>` or remove `required_unless`",
                literal::code_text_of(field.ty)
            ),
        );
    }
    for sibling in list {
        let wanted = sibling.value.value();
        let found = input.fields.iter().find(|f| f.name() == wanted);
        let problem = match found {
            _ if wanted == name => {
                Some(format!("`{name}` cannot be required unless itself is set"))
            }
            None => {
                let known: Vec<String> = input.fields.iter().map(Field::name).collect();
                let suggestion =
                    crate::name::did_you_mean(&wanted, known.iter().map(String::as_str))
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_default();
                Some(format!(
                    "`required_unless` names a field of this struct, and there is no field `{wanted}`{suggestion}"
                ))
            }
            Some(f) if !f.is_loaded() || f.attrs.flatten.is_some() => Some(format!(
                "`{wanted}` is not a setting of its own (it is `skip` or `flatten`), so it cannot stand in for `{name}`"
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            errors.spanning(&sibling.value, problem);
        }
    }
}
