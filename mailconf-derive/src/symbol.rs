//! Every key of `#[mailconf(...)]`, listed once, as serde_derive's `symbol.rs` lists its own:
//! the parser matches these constants and suggests from these lists, so a key cannot be
//! accepted under one spelling and suggested under another.

pub(crate) const PREFIX: &str = "prefix";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const ALLOW_UNKNOWN: &str = "allow_unknown";
pub(crate) const DENY_UNKNOWN: &str = "deny_unknown";
pub(crate) const FOREIGN_KEYS: &str = "foreign_keys";
pub(crate) const CASE_INSENSITIVE: &str = "case_insensitive";
pub(crate) const VALIDATE: &str = "validate";
pub(crate) const ENV: &str = "env";
pub(crate) const RENAME: &str = "rename";
pub(crate) const ALIAS: &str = "alias";
pub(crate) const RENAMED_FROM: &str = "renamed_from";
pub(crate) const REQUIRED_UNLESS: &str = "required_unless";
pub(crate) const DEFAULT: &str = "default";
pub(crate) const SECRET: &str = "secret";
pub(crate) const FLATTEN: &str = "flatten";
pub(crate) const SKIP: &str = "skip";
pub(crate) const HINT: &str = "hint";

/// The keys a struct takes.
pub(crate) const CONTAINER_KEYS: &[&str] = &[
    PREFIX,
    RENAME_ALL,
    ALLOW_UNKNOWN,
    DENY_UNKNOWN,
    FOREIGN_KEYS,
    CASE_INSENSITIVE,
    VALIDATE,
];

/// The keys a field takes.
pub(crate) const FIELD_KEYS: &[&str] = &[
    ENV,
    RENAME,
    ALIAS,
    RENAMED_FROM,
    REQUIRED_UNLESS,
    DEFAULT,
    SECRET,
    FLATTEN,
    SKIP,
    VALIDATE,
    HINT,
];
