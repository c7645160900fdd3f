//! Defaults written as literals, and the little the derive can tell about a field's type from
//! its spelling.

use mailconf_values::LiteralKind;
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Expr, ExprLit, ExprUnary, GenericArgument, Lit, PathArguments, Type, UnOp};

/// A default that is a literal: stored as text and parsed like a value read from the
/// environment, so `default = 587` suits a `Port` and `default = "30s"` a `Duration`.
pub(crate) struct Literal {
    pub kind: LiteralKind,
    /// The text the parser sees: `587`, `30s`, `true`, `-1`.
    pub text: String,
}

/// The literal in `expr`, if it is one (a negative number counts).
pub(crate) fn literal(expr: &Expr) -> Option<Literal> {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => match lit {
            Lit::Str(s) => Some(Literal {
                kind: LiteralKind::Str,
                text: s.value(),
            }),
            Lit::Int(i) => Some(Literal {
                kind: LiteralKind::Int,
                text: i.base10_digits().to_owned(),
            }),
            Lit::Float(f) => Some(Literal {
                kind: LiteralKind::Float,
                text: f.base10_digits().to_owned(),
            }),
            Lit::Bool(b) => Some(Literal {
                kind: LiteralKind::Bool,
                text: b.value.to_string(),
            }),
            _ => None,
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => {
            let inner = literal(expr)?;
            matches!(inner.kind, LiteralKind::Int | LiteralKind::Float).then(|| Literal {
                kind: inner.kind,
                text: format!("-{}", inner.text),
            })
        }
        _ => None,
    }
}

/// The last path segment of a type and its angle-bracketed type arguments: `Port`,
/// `Option<u16>` → (`Option`, [`u16`]).
fn last_segment(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    let args = match &segment.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((segment.ident.to_string(), args))
}

/// `T` of `Option<T>`, when the type is spelled as an `Option`.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    match last_segment(ty) {
        Some((name, args)) if name == "Option" && args.len() == 1 => Some(args[0]),
        _ => None,
    }
}

/// Whether the type is spelled `Secret<...>` (or `Option<Secret<...>>`).
pub(crate) fn is_secret_type(ty: &Type) -> bool {
    let ty = option_inner(ty).unwrap_or(ty);
    last_segment(ty).is_some_and(|(name, _)| name == "Secret")
}

/// The name `mailconf_values::check_literal` knows the type by: its last segment, with
/// `Secret<T>` seen through (a secret parses like its content).
pub(crate) fn check_name(ty: &Type) -> Option<String> {
    let (name, args) = last_segment(ty)?;
    match (name.as_str(), args.as_slice()) {
        ("Secret", [inner]) => check_name(inner),
        _ => Some(name),
    }
}

/// Rust code as a person writes it, for docs: `Duration::from_secs(5)`, not the token printer's
/// `Duration :: from_secs (5)`.
pub(crate) fn code_text(expr: &Expr) -> String {
    code_text_of(expr)
}

/// [`code_text`] of any syntax tree, such as a type.
pub(crate) fn code_text_of(node: &impl ToTokens) -> String {
    let mut out = String::new();
    write_tokens(node.to_token_stream(), &mut out);
    out
}

fn write_tokens(tokens: TokenStream, out: &mut String) {
    let mut prev: Option<TokenTree> = None;
    for token in tokens {
        if needs_space(prev.as_ref(), &token) {
            out.push(' ');
        }
        match &token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(group.stream(), out);
                out.push_str(close);
            }
            other => out.push_str(&other.to_string()),
        }
        prev = Some(token);
    }
}

fn needs_space(prev: Option<&TokenTree>, next: &TokenTree) -> bool {
    let word = |t: &TokenTree| matches!(t, TokenTree::Ident(_) | TokenTree::Literal(_));
    match (prev, next) {
        (None, _) => false,
        (Some(p), n) if word(p) && word(n) => true,
        (Some(TokenTree::Punct(p)), _) if p.as_char() == ',' => true,
        (Some(TokenTree::Punct(p)), n)
            if p.spacing() == Spacing::Alone && is_binary(p.as_char()) =>
        {
            !matches!(n, TokenTree::Punct(_))
        }
        (Some(p), TokenTree::Punct(n))
            if n.spacing() == Spacing::Alone && is_binary(n.as_char()) =>
        {
            !matches!(p, TokenTree::Punct(_))
        }
        _ => false,
    }
}

fn is_binary(c: char) -> bool {
    matches!(c, '+' | '*' | '/' | '%' | '=' | '|' | '^')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expr {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn literals_become_the_text_a_parser_sees() {
        let text = |s| literal(&expr(s)).map(|l| l.text);
        assert_eq!(text("587"), Some("587".into()));
        assert_eq!(text("587u16"), Some("587".into()));
        assert_eq!(text("0x10"), Some("16".into()));
        assert_eq!(text("\"30s\""), Some("30s".into()));
        assert_eq!(text("-2.5"), Some("-2.5".into()));
        assert_eq!(text("true"), Some("true".into()));
        assert_eq!(text("Duration::from_secs(5)"), None);
        assert_eq!(text("!true"), None);
    }

    #[test]
    fn types_are_recognised_by_their_last_segment() {
        let ty = |s| syn::parse_str::<Type>(s).unwrap();
        assert!(option_inner(&ty("std::option::Option<u16>")).is_some());
        assert!(option_inner(&ty("Vec<u16>")).is_none());
        assert!(is_secret_type(&ty("Option<mailconf_core::Secret<String>>")));
        assert_eq!(
            check_name(&ty("Secret<std::time::Duration>")).as_deref(),
            Some("Duration")
        );
        assert_eq!(check_name(&ty("&str")), None);
    }

    #[test]
    fn code_reads_as_written() {
        assert_eq!(
            code_text(&expr("Duration::from_secs(5)")),
            "Duration::from_secs(5)"
        );
        assert_eq!(code_text(&expr("a + b * 2")), "a + b * 2");
        assert_eq!(code_text(&expr("f(1, x, &y)")), "f(1, x, &y)");
        assert_eq!(
            code_text(&expr("String::from(\"x\")")),
            "String::from(\"x\")"
        );
        assert_eq!(code_text(&expr("Vec::<u8>::new()")), "Vec::<u8>::new()");
    }
}
