//! A problem, a report or a warning shown in a chosen language.

use mailconf_values::Lang;

/// `value` shown in `lang`: `Display` renders the text a person reads, `Serialize` the JSON a
/// front end reads, with `message` and `hint` in `lang` and every code, key and field unchanged.
/// Made by `in_lang` on [`crate::Errors`], [`crate::Error`] and [`crate::Warning`].
#[derive(Debug, Clone, Copy)]
pub struct Localized<'a, T: ?Sized> {
    value: &'a T,
    lang: Lang,
}

impl<'a, T: ?Sized> Localized<'a, T> {
    pub(crate) fn new(value: &'a T, lang: Lang) -> Self {
        Localized { value, lang }
    }

    /// What is shown.
    pub fn value(&self) -> &'a T {
        self.value
    }

    /// The language it is shown in.
    pub fn lang(&self) -> Lang {
        self.lang
    }
}
