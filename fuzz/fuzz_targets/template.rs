//! Templates (`mailconf_smtp::templates`): any template source and any data.
//!
//! - Parsing and rendering any source with any data gives a result or a `TemplateError` with a
//!   message, never a panic or a hang (libFuzzer's `-timeout`).
//! - HTML is always escaped: a value of the data printed by `{{ x }}` in an `.html` template
//!   comes out escaped exactly as Jinja2 (MarkupSafe) escapes it, whatever it holds, and the
//!   subject block comes out as the text it renders to, on one line.
//!
//! Input shape (`arbitrary`): a template assembled mostly from Jinja2 pieces (tags, filters,
//! blocks, `extends`) so that the fuzzer reaches the renderer rather than stopping at the
//! parser, and data of a few keys with strings, numbers, lists and nested objects.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mailconf_fuzz::pick;
use mailconf_smtp::templates::Templates;
use serde_json::{Map, Value, json};

const KEYS: &[&str] = &["name", "x", "body", "items", "link", "user"];

const PIECES: &[&str] = &[
    "{{ name }}",
    "{{ x }}",
    "{{ x|upper }}",
    "{{ x|e }}",
    "{{ x|safe }}",
    "{{ x|default('none') }}",
    "{{ items|length }}",
    "{{ items|join(', ') }}",
    "{{ user.name }}",
    "{{ body[0] }}",
    "{% for i in items %}",
    "{{ i }}",
    "{{ loop.index }}",
    "{% endfor %}",
    "{% if x %}",
    "{% else %}",
    "{% endif %}",
    "{% block subject %}",
    "{% block body %}",
    "{% endblock %}",
    "{% extends \"base.html\" %}",
    "{% include \"part.txt\" %}",
    "{% set y = x ~ name %}",
    "{{ y }}",
    "{% raw %}{{ x }}{% endraw %}",
    "{# comment #}",
    "<p>",
    "</p>",
    "<script>",
    "&amp;",
    "김민준님, 환영합니다",
    "\n",
    " ",
    "{{",
    "}}",
    "{%",
    "%}",
];

const STRINGS: &[&str] = &[
    "",
    "<script>alert(1)</script>",
    "\"quoted\" & 'single'",
    "&lt;already&gt;",
    "김민준",
    "{{ x }}",
    "a\r\nb",
    "https://example.com/confirm?t=1&u=2",
];

fn string(u: &mut Unstructured<'_>) -> Result<String> {
    pick::one_of(u, STRINGS, 1, 2)
}

fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 if depth < 2 => Value::Array(
            (0..u.int_in_range(0..=3)?)
                .map(|_| value(u, depth + 1))
                .collect::<Result<_>>()?,
        ),
        1 if depth < 2 => Value::Object(object(u, depth + 1)?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<bool>()?),
        4 => Value::Null,
        _ => Value::String(string(u)?),
    })
}

fn object(u: &mut Unstructured<'_>, depth: u32) -> Result<Map<String, Value>> {
    let mut map = Map::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let key = if u.ratio(7, 8)? {
            (*u.choose(KEYS)?).to_owned()
        } else {
            u.arbitrary()?
        };
        map.insert(key, value(u, depth)?);
    }
    Ok(map)
}

fn source(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 8)? {
        return u.arbitrary();
    }
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=12)? {
        if u.ratio(1, 6)? {
            out.push_str(&string(u)?);
        } else {
            out.push_str(u.choose(PIECES)?);
        }
    }
    Ok(out)
}

/// Jinja2's (MarkupSafe's) HTML escape, written another way than mailconf's own
/// (`mailconf_smtp::escape_html`) so that the two check each other.
fn escape(text: &str) -> String {
    const ENTITIES: [(char, &str); 5] = [
        ('&', "&amp;"),
        ('<', "&lt;"),
        ('>', "&gt;"),
        ('"', "&#34;"),
        ('\'', "&#39;"),
    ];
    let entity = |c: char| ENTITIES.iter().find(|(k, _)| *k == c).map(|(_, e)| *e);
    text.chars().fold(String::new(), |mut out, c| {
        match entity(c) {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
        out
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(page), Ok(base), Ok(part), Ok(data), Ok(x)) = (
        source(&mut u),
        source(&mut u),
        source(&mut u),
        object(&mut u, 0),
        string(&mut u),
    ) else {
        return;
    };

    // Any templates, any data: a result or an error with a message.
    match Templates::from_sources([
        ("page.html", page.as_str()),
        ("page.txt", part.as_str()),
        ("base.html", base.as_str()),
        ("part.txt", part.as_str()),
    ]) {
        Ok(templates) => {
            for name in ["page.html", "page.txt"] {
                match templates.render(name, &Value::Object(data.clone())) {
                    Ok(rendered) => {
                        if let Some(subject) = rendered.subject {
                            assert!(!subject.contains(['\r', '\n']), "{subject:?}");
                        }
                    }
                    Err(error) => assert!(!error.to_string().is_empty(), "{error:?}"),
                }
            }
        }
        Err(error) => assert!(!error.to_string().is_empty(), "{error:?}"),
    }

    // A value printed into HTML is escaped as Jinja2 escapes it, in the body and the subject.
    let templates = Templates::from_sources([(
        "escaped.html",
        "{% block subject %}{{ x }}{% endblock %}<p>{{ x }}</p>",
    )])
    .expect("a fixed template parses");
    let rendered = templates
        .render("escaped.html", &json!({ "x": x }))
        .expect("a defined string renders");
    let html = rendered.html.expect("an HTML template gives HTML");
    assert!(
        html.ends_with(&format!("<p>{}</p>", escape(&x))),
        "{x:?} gave {html:?}"
    );
});
