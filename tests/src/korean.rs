//! What is left of English in a text meant to be Korean, for the tests of the Korean catalog
//! (issue 17): names, values, codes, commands and the technical terms Korean developers write
//! as they are (TLS, STARTTLS, SMTP …) are taken out first.

/// Terms Korean documentation writes in Latin letters, and values, as they are.
pub const TECHNICAL_TERMS: &[&str] = &[
    "TLS",
    "STARTTLS",
    "SMTP",
    "SMTPS",
    "SSL",
    "JSON",
    "URL",
    "UTF",
    "IDNA",
    "IPv4",
    "IPv6",
    "IP",
    "TCP",
    "DNS",
    "AUTH",
    "EHLO",
    "HELO",
    "XOAUTH2",
    "OAuth",
    "OAuth2",
    "MX",
    "CA",
    "PEM",
    "DER",
    "Windows",
    "Redis",
    "GB",
    "NUL",
    "LF",
    "CR",
    "ms",
    "s",
    "m",
    "h",
    "min",
    "day",
    "env",
    "dotenv",
    "dotenvy",
    "python-dotenv",
    "pydantic-settings",
    "bash",
    "Node",
    "fastapi-mail",
    "Flask-Mail",
    "Django",
    "Laravel",
    "lettre",
    "OpenSSL",
    "rustls",
    "mailconf",
    "Microsoft",
    "Gmail",
    "Naver",
    "Kakao",
    "Daum",
    "SPF",
    "DKIM",
    "DMARC",
    "HTTP",
    "HTTPS",
    "API",
    // Values a setting takes, written as they are.
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
];

/// English words that are a sentence's part even alone.
const ALONE: &[&str] = &[
    "hint", "set", "got", "from", "problem", "problems", "in", "the", "is", "not", "and", "or",
    "to", "of", "remove", "expected", "error", "warning", "settings", "instead", "ignored",
];

/// Whether `text` holds a Hangul syllable.
#[must_use]
pub fn hangul(text: &str) -> bool {
    text.chars().any(is_hangul)
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Asserts that `text` is Korean: Hangul, and no English sentence ([`english_left`]) but the
/// `extra` words. `what` says which text in the panic message.
///
/// # Panics
/// When it is not.
pub fn assert_korean(text: &str, extra: &[&str], what: &str) {
    assert!(hangul(text), "{what}: no Korean in {text}");
    let left = english_left(text, extra);
    assert!(left.is_empty(), "{what}: English left: {left:?} in {text}");
}

/// The English sentences of `text`: runs of two or more lowercase Latin words once names
/// (`MAIL_PORT`), quoted values, `[codes]`, `code spans`, commands after `$`, paths, hosts,
/// numbers and [`TECHNICAL_TERMS`] are taken out, and `extra` words (the text's own values).
#[must_use]
pub fn english_left(text: &str, extra: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let line = strip_spans(line);
        let mut run: Vec<&str> = Vec::new();
        let words =
            line.split(|c: char| c.is_whitespace() || ",;:()!?<>=|{}".contains(c) || is_hangul(c));
        for word in words.chain(std::iter::once("\u{0}")) {
            let word = word.trim_matches(|c: char| ".'".contains(c));
            if word.is_empty() && !run.is_empty() {
                continue;
            }
            if is_english_word(word, extra) {
                run.push(word);
                continue;
            }
            if run.len() >= 2 || run.first().is_some_and(|w| ALONE.contains(w)) {
                found.push(run.join(" "));
            }
            run.clear();
        }
    }
    found
}

/// Whether `word` is an English word rather than a name, value or allowed term.
fn is_english_word(word: &str, extra: &[&str]) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'\'' || b == b'-')
        && !word
            .bytes()
            .any(|b| b.is_ascii_uppercase() && word.len() > 1 && word == word.to_ascii_uppercase())
        && !TECHNICAL_TERMS.iter().any(|t| t.eq_ignore_ascii_case(word))
        && !extra.iter().any(|t| t.eq_ignore_ascii_case(word))
}

/// `line` without its quoted values, `[codes]`, `code spans` and whatever follows a `$ `.
fn strip_spans(line: &str) -> String {
    let line = line.split("$ ").next().unwrap_or(line);
    let mut out = String::new();
    let mut close: Option<char> = None;
    for c in line.chars() {
        match close {
            Some(end) if c == end => close = None,
            Some(_) => {}
            None => match c {
                '"' => close = Some('"'),
                '`' => close = Some('`'),
                '[' => close = Some(']'),
                _ => out.push(c),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::english_left;

    #[test]
    fn finds_sentences_and_keeps_names_values_and_terms() {
        assert!(
            english_left(
                "MAIL_PORT: 필수 설정인데 지정되지 않았습니다 [missing]",
                &[]
            )
            .is_empty()
        );
        assert!(
            english_left(
                "  - MAIL_PORT: 포트; 입력값 \"abc def\", 출처: .env 3번째 줄",
                &[]
            )
            .is_empty()
        );
        assert!(english_left("STARTTLS와 암시적 TLS를 함께 켤 수 없습니다", &[]).is_empty());
        assert_eq!(
            english_left("MAIL_PORT: required, but not set", &[]),
            ["required but not set"]
        );
        assert_eq!(english_left("도움말: set MAIL_PORT", &[]), ["set"]);
        assert_eq!(english_left("hint: 줄을 지우세요", &[]), ["hint"]);
        assert_eq!(english_left("remove the line", &[]), ["remove the line"]);
        assert!(english_left("값: starttls, implicit_tls", &["starttls"]).is_empty());
    }
}
