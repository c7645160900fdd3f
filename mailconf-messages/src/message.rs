//! A message kept as a catalog id and its arguments, shown in any language.

use std::fmt;

use crate::{Lang, catalog};

/// Something to tell a person: a catalog id with its arguments, rendered in a [`Lang`] when
/// shown, or a program's own text (a settings struct's validate hook may return plain text),
/// shown as written in every language.
///
/// `Display` shows English. No secret type converts into an [`Arg`]: a secret cannot become
/// part of a message.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Message(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Catalog {
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    Text(String),
}

/// A Fluent variable of a [`Message`]: a name, a value, a number, or another message rendered
/// in the same language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Arg {
    /// Text shown as is in every language (a variable name, a value, a server reply).
    Text(String),
    /// A whole number; it selects plural forms (`1 problem`, `2 problems`).
    Number(i64),
    /// A message rendered in the language of the message that holds it.
    Message(Box<Message>),
    /// Messages rendered in the language of the message that holds them, joined by `, `: a
    /// list such as a provider's ports with their TLS modes.
    List(Vec<Message>),
}

impl Message {
    /// The catalog message `id`, without arguments yet.
    pub fn new(id: &'static str) -> Self {
        Message(Repr::Catalog {
            id,
            args: Vec::new(),
        })
    }

    /// The catalog message `id` when the catalog has it, else `text` as written: for text given
    /// in an attribute, such as a field's `#[mailconf(hint = "...")]`, where mailconf's own
    /// structs name a catalog id and a program's structs write their own words.
    pub fn id_or_text(text: &'static str) -> Self {
        if crate::Catalog::get(Lang::En).has(text) {
            Message::new(text)
        } else {
            Message::text(text)
        }
    }

    /// A program's own text, shown as written in every language.
    pub fn text(text: impl Into<String>) -> Self {
        Message(Repr::Text(text.into()))
    }

    /// Adds the Fluent variable `$name`.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        if let Repr::Catalog { args, .. } = &mut self.0 {
            args.push((name, value.into()));
        }
        self
    }

    /// The catalog id; `None` for a program's own text.
    pub fn id(&self) -> Option<&'static str> {
        match &self.0 {
            Repr::Catalog { id, .. } => Some(id),
            Repr::Text(_) => None,
        }
    }

    /// The arguments, in the order given.
    pub fn args(&self) -> &[(&'static str, Arg)] {
        match &self.0 {
            Repr::Catalog { args, .. } => args,
            Repr::Text(_) => &[],
        }
    }

    /// The message in `lang`. An id missing from that language falls back to English, then to
    /// the id itself: showing a message never fails.
    pub fn render(&self, lang: Lang) -> String {
        match &self.0 {
            Repr::Text(text) => text.clone(),
            Repr::Catalog { id, args } => catalog::render(lang, id, args),
        }
    }

    /// The message in `lang`, to `Display`.
    pub fn in_lang(&self, lang: Lang) -> InLang<'_, Message> {
        InLang::new(self, lang)
    }

    /// Rewrites a program's own text and every text argument, nested ones included: how the
    /// loader names the variable of a Rust field written `{port}` in a hook's message.
    #[must_use]
    pub fn map_text(self, f: &mut impl FnMut(String) -> String) -> Self {
        Message(match self.0 {
            Repr::Text(text) => Repr::Text(f(text)),
            Repr::Catalog { id, args } => Repr::Catalog {
                id,
                args: args
                    .into_iter()
                    .map(|(name, arg)| {
                        let arg = match arg {
                            Arg::Text(text) => Arg::Text(f(text)),
                            Arg::Message(m) => Arg::Message(Box::new(m.map_text(f))),
                            Arg::List(list) => {
                                Arg::List(list.into_iter().map(|m| m.map_text(f)).collect())
                            }
                            number => number,
                        };
                        (name, arg)
                    })
                    .collect(),
            },
        })
    }
}

/// The id and arguments: a message's Debug never holds more than its arguments, and no secret
/// converts into one.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Text(text) => fmt::Debug::fmt(text, f),
            Repr::Catalog { id, args } => {
                let mut t = f.debug_tuple("Message");
                t.field(id);
                for (name, arg) in args {
                    t.field(&format_args!("{name}={arg:?}"));
                }
                t.finish()
            }
        }
    }
}

/// English.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Compares the English text, as `Display` shows it.
impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.render(Lang::En) == other
    }
}

/// Compares the English text, as `Display` shows it.
impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.render(Lang::En) == *other
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::text(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::text(text)
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Self {
        Arg::Text(text.clone())
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Self {
        Arg::Message(Box::new(message))
    }
}

impl From<Vec<Message>> for Arg {
    fn from(list: Vec<Message>) -> Self {
        Arg::List(list)
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_args!(u8, u16, u32, u64, usize, i32, i64);

/// A value shown in a chosen language: `Display` renders it in that language.
#[derive(Debug, Clone, Copy)]
pub struct InLang<'a, T: ?Sized> {
    /// What is shown.
    pub value: &'a T,
    /// The language it is shown in.
    pub lang: Lang,
}

impl<'a, T: ?Sized> InLang<'a, T> {
    /// `value` shown in `lang`.
    pub fn new(value: &'a T, lang: Lang) -> Self {
        InLang { value, lang }
    }
}

impl fmt::Display for InLang<'_, Message> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value.render(self.lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_the_same_in_every_language() {
        let m = Message::from("port 465 is implicit TLS");
        assert_eq!(m.render(Lang::Ko), "port 465 is implicit TLS");
        assert_eq!(m.id(), None);
    }

    #[test]
    fn nested_messages_follow_the_language() {
        let m = Message::new("value-out-of-range").arg(
            "reason",
            Message::new("value-integer-expected")
                .arg("min", 1u8)
                .arg("max", 5u8),
        );
        assert!(m.to_string().contains("from 1 to 5"), "{m}");
        assert!(
            m.render(Lang::Ko).contains("1부터 5까지"),
            "{}",
            m.render(Lang::Ko)
        );
    }

    #[test]
    fn map_text_reaches_nested_arguments() {
        let m = Message::new("value-out-of-range")
            .arg("reason", Message::text("{port} too high"))
            .map_text(&mut |t| t.replace("{port}", "MAIL_PORT"));
        assert!(m.to_string().contains("MAIL_PORT too high"), "{m}");
    }

    #[test]
    fn unknown_ids_show_the_id() {
        assert_eq!(Message::new("no-such-id").render(Lang::Ko), "no-such-id");
    }
}
