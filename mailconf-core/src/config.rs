use crate::{Errors, Loaded, Loader, Schema, Sources};

/// A settings struct that loads from environment variables, `.env` files, JSON or maps.
///
/// Usually derived with `#[derive(MailConfig)]`. A hand-written impl gives a static
/// [`Schema`] and a [`MailConfig::load_from`] that asks the [`Loader`] for each field; the
/// provided methods do the rest.
pub trait MailConfig: Sized {
    /// The struct's static description: names, types, defaults, docs.
    fn schema() -> &'static Schema;

    /// Loads every field through `loader`, which collects every problem. Returns `None` when a
    /// field failed (the problem is already recorded in the loader).
    fn load_from(loader: &mut Loader<'_>) -> Option<Self>;

    /// Loads from layered sources, reporting every problem at once. What loads but deserves
    /// attention (an unknown key that is ignored) is logged through `tracing` at `WARN`.
    fn load(sources: &Sources) -> Result<Self, Errors> {
        let loaded = Self::load_with_warnings(sources)?;
        loaded.warnings.iter().for_each(crate::Warning::log);
        Ok(loaded.value)
    }

    /// Loads like [`MailConfig::load`], and returns the warnings with the value instead of
    /// logging them (on failure, [`Errors::warnings`] has them): for a `check` command or a
    /// settings page that shows them.
    fn load_with_warnings(sources: &Sources) -> Result<Loaded<Self>, Errors> {
        Loader::run(sources)
    }

    /// Loads from the process environment.
    fn from_env() -> Result<Self, Errors> {
        Self::load(&Sources::new().env())
    }

    /// Loads from key/value pairs.
    fn from_map<I, K, V>(pairs: I) -> Result<Self, Errors>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self::load(&Sources::new().map(pairs))
    }

    /// Loads from a JSON object keyed by variable names (strings, numbers or booleans), as a
    /// settings web form posts it.
    fn from_json(json: &str) -> Result<Self, Errors> {
        Self::load(&Sources::new().json(json))
    }
}
