//! Collecting every mistake before giving up, so one compile run shows them all.

use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

/// The mistakes found so far in one derive input.
///
/// Each mistake belongs to an item: 0 for the struct, `i + 1` for field `i`. They are reported
/// in item order, so that rustc lists them top to bottom although the checks run in passes.
#[derive(Default)]
pub(crate) struct Errors {
    item: usize,
    list: Vec<(usize, syn::Error)>,
}

impl Errors {
    /// Attributes later mistakes to the struct (`None`) or to field `index`.
    pub(crate) fn set_item(&mut self, field: Option<usize>) {
        self.item = field.map_or(0, |index| index + 1);
    }

    /// Records an error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.list.push((self.item, error));
    }

    /// Records an error at `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records an error covering `tokens`: rustc underlines from their first to their last token.
    pub(crate) fn spanning(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// `Err` with every recorded error, if there is one.
    pub(crate) fn finish(mut self) -> syn::Result<()> {
        self.list.sort_by_key(|(item, _)| *item);
        let mut errors = self.list.into_iter().map(|(_, error)| error);
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}
