//! The catalog files themselves: both parse without an error, hold the same ids, and each
//! message uses the same variables in every language.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use mailconf_messages::{Catalog, Lang, catalog_source};

type Variables = BTreeSet<String>;

fn messages(lang: Lang) -> BTreeMap<String, Variables> {
    let resource = fluent_syntax::parser::parse(catalog_source(lang))
        .unwrap_or_else(|(_, errors)| panic!("{lang}.ftl does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let mut vars = Variables::new();
                for pattern in m.value.iter().chain(m.attributes.iter().map(|a| &a.value)) {
                    pattern_vars(pattern, &mut vars);
                }
                let id = m.id.name.to_owned();
                assert!(
                    out.insert(id.clone(), vars).is_none(),
                    "{lang}.ftl: {id} twice"
                );
            }
            Entry::Junk { content } => panic!("{lang}.ftl: junk {content:?}"),
            _ => {}
        }
    }
    out
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut Variables) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut Variables) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
        Expression::Inline(inline) => inline_vars(inline, vars),
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut Variables) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn every_message_is_in_every_language_with_the_same_variables() {
    let en = messages(Lang::En);
    assert!(
        en.len() > 50,
        "the English catalog is nearly empty: {}",
        en.len()
    );
    for lang in [Lang::Ko] {
        let other = messages(lang);
        let missing: Vec<_> = en.keys().filter(|id| !other.contains_key(*id)).collect();
        let extra: Vec<_> = other.keys().filter(|id| !en.contains_key(*id)).collect();
        assert!(missing.is_empty(), "missing from {lang}.ftl: {missing:?}");
        assert!(
            extra.is_empty(),
            "only in {lang}.ftl, not in en.ftl: {extra:?}"
        );
        for (id, vars) in &en {
            assert_eq!(
                vars, &other[id],
                "{id}: the variables differ between en and {lang}"
            );
        }
    }
}

#[test]
fn the_korean_catalog_is_korean() {
    // Each Korean message holds Hangul, unless it is only names and values.
    let ko = messages(Lang::Ko);
    let catalog = Catalog::get(Lang::Ko);
    for id in ko.keys() {
        let text = catalog.format(id, &[]).unwrap();
        let hangul = text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
        assert!(
            hangul || KO_WITHOUT_HANGUL.contains(&id.as_str()),
            "{id}: {text:?}"
        );
    }
}

/// Messages that are only names, values or punctuation in Korean too.
const KO_WITHOUT_HANGUL: &[&str] = &[
    "origin-json",
    "file-other",
    "loader-hint-and-field-hint",
    "type-url",
    "type-smtp-url",
    "ca-explain",
    "security-starttls",
    "security-tls-choices",
    "provider-offer",
    "provider-offers",
    "dialect-assignment",
    "dialect-assignment-secret",
    "dialect-notes",
    "stage-tls",
    "stage-mail-from",
    "stage-rcpt",
    "stage-data",
    "cli-probe-starttls",
    "page-provider-note",
    "page-step-line",
    "page-quoted",
    "probe-detail-quoted",
    "migrate-change",
    "cli-migrate-in-file",
];

#[test]
fn the_compiled_catalog_knows_each_parsed_id() {
    for lang in Lang::ALL {
        let catalog = Catalog::get(lang);
        for id in messages(lang).keys() {
            assert!(catalog.has(id), "{lang}: {id}");
        }
        assert_eq!(catalog.ids().len(), messages(lang).len(), "{lang}");
    }
}

#[test]
fn no_isolation_marks_around_arguments() {
    let m = mailconf_messages::Message::new("value-integer-expected")
        .arg("min", 1u8)
        .arg("max", 9u8);
    for lang in Lang::ALL {
        let text = m.render(lang);
        assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
        assert!(text.contains('1') && text.contains('9'), "{text}");
    }
}
