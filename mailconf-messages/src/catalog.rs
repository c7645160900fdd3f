//! The Fluent bundles, built once from the files in `locales/`.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::{Arg, Lang};

/// The text of a language's catalog file, as built into the binary: for tools and tests that
/// read the catalog itself (the settings page serves its labels from it).
pub fn catalog_source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../locales/en.ftl"),
        Lang::Ko => include_str!("../locales/ko.ftl"),
    }
}

/// One language's bundle, for looking messages up by id.
pub struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl Catalog {
    /// The catalog of `lang`, built on first use.
    pub fn get(lang: Lang) -> &'static Catalog {
        static CATALOGS: OnceLock<[Catalog; 2]> = OnceLock::new();
        let all = CATALOGS.get_or_init(|| [Catalog::build(Lang::En), Catalog::build(Lang::Ko)]);
        match lang {
            Lang::En => &all[0],
            Lang::Ko => &all[1],
        }
    }

    fn build(lang: Lang) -> Catalog {
        // The files are part of this crate and tested to parse (tests/catalog.rs): a syntax
        // error is a bug of the build, not a user's input.
        let resource = FluentResource::try_new(catalog_source(lang).to_owned())
            .unwrap_or_else(|(resource, _)| resource);
        let id = lang
            .code()
            .parse()
            .expect("en and ko are language identifiers");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No U+2068/U+2069 around arguments: the text goes to terminals and JSON, where those
        // invisible marks would corrupt a copied variable name.
        bundle.set_use_isolating(false);
        let _ = bundle.add_resource(resource);
        Catalog { lang, bundle }
    }

    /// The language of the catalog.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether the catalog has the message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message `id` with arguments given as text (`$name` = value); `None` when the
    /// catalog has no such message.
    pub fn format(&self, id: &str, args: &[(&str, &str)]) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(*value));
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent), &mut errors);
        Some(text.into_owned())
    }

    /// Every message id of the catalog.
    pub fn ids(&self) -> Vec<&str> {
        ids_of(catalog_source(self.lang))
    }
}

/// The ids of the messages of a catalog file (lines `id = ...` at the start of a line).
fn ids_of(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim()))
        .collect()
}

pub(crate) fn render(lang: Lang, id: &str, args: &[(&'static str, Arg)]) -> String {
    for catalog in [Catalog::get(lang), Catalog::get(Lang::En)] {
        let Some(pattern) = catalog.bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut fluent = FluentArgs::new();
        for (name, arg) in args {
            let value: FluentValue<'_> = match arg {
                Arg::Text(text) => FluentValue::from(Cow::Borrowed(text.as_str())),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Message(m) => FluentValue::from(m.render(lang)),
                Arg::List(list) => FluentValue::from(
                    list.iter()
                        .map(|m| m.render(lang))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            fluent.set(*name, value);
        }
        let mut errors = Vec::new();
        return catalog
            .bundle
            .format_pattern(pattern, Some(&fluent), &mut errors)
            .into_owned();
    }
    id.to_owned()
}
