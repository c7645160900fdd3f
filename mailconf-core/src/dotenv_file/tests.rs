use super::*;

#[test]
fn single_quotes_unless_the_value_has_one() {
    assert_eq!(quote("").unwrap(), "''");
    assert_eq!(quote("a b").unwrap(), "'a b'");
    assert_eq!(quote(r"C:\path").unwrap(), r"'C:\path'");
    assert_eq!(quote("$HOME ${x").unwrap(), "'$HOME ${x'");
    assert_eq!(quote("say \"hi\"").unwrap(), "'say \"hi\"'");
    assert_eq!(quote("O'Brien's App").unwrap(), "\"O'Brien's App\"");
}

#[test]
fn refusals_name_the_character() {
    let cases: [(&str, Unwritable, &str); 8] = [
        (
            "a\nb",
            Unwritable::Control {
                character: '\n',
                at: 1,
            },
            "U+000A (LF)",
        ),
        (
            "nul\0",
            Unwritable::Control {
                character: '\0',
                at: 3,
            },
            "U+0000 (NUL)",
        ),
        (
            r"\'",
            Unwritable::QuoteWith {
                character: '\\',
                at: 0,
            },
            "a backslash (\\)",
        ),
        (
            "O'Brien $5",
            Unwritable::QuoteWith {
                character: '$',
                at: 8,
            },
            "a dollar sign ($)",
        ),
        (
            "it's \"x\"",
            Unwritable::QuoteWith {
                character: '"',
                at: 5,
            },
            "a double quote (\")",
        ),
        (
            r"a\\b",
            Unwritable::DoubleBackslash { at: 1 },
            r"two backslashes in a row (\\)",
        ),
        ("x${HOME}", Unwritable::Interpolation { at: 1 }, "${…}"),
        (
            "é${A:-b}",
            Unwritable::Interpolation { at: 1 },
            "position 2",
        ),
    ];
    for (value, expected, words) in cases {
        let error = quote(value).unwrap_err();
        assert_eq!(error, expected, "{value:?}");
        assert!(error.to_string().contains(words), "{value:?}: {error}");
    }
    assert_eq!(quote("end\\"), Err(Unwritable::TrailingBackslash));
}

#[test]
fn dollar_braces_python_does_not_expand_are_kept() {
    for value in ["${", "${HOME", "$HOME}", "${a:b}", "${a:-b", "$ {x}"] {
        assert!(quote(value).is_ok(), "{value:?}");
    }
}

#[test]
fn keys_must_be_portable() {
    assert!(assignment("MAIL_X", "v").is_ok());
    for key in ["", "1A", "A-B", "A.B", "A B", "É"] {
        assert_eq!(assignment(key, "v"), Err(Unwritable::Key(key.to_owned())));
    }
}

const FILE: &str = "# app settings\n\nexport DATABASE_URL=\"postgres://u:p@db/app\"  # main db\nMAIL_SERVER=old.example.com\nMULTI=\"line one\nMAIL_PORT=not-a-key-here\nline three\"\n  MAIL_PORT = 25 # inline\nSECRET_KEY='s3cr#t'\nMAIL_PORT=2525\nbroken line without equals\nMAIL_DEBUG=1";

#[test]
fn edit_keeps_every_other_byte() {
    let after = edit(
        FILE,
        &[
            ("MAIL_SERVER", Some("smtp.example.com")),
            ("MAIL_PORT", Some("587")),
            ("MAIL_DEBUG", None),
            ("MAIL_FROM", Some("O'Brien <a@example.com>")),
        ],
    )
    .unwrap();
    let expected = "# app settings\n\nexport DATABASE_URL=\"postgres://u:p@db/app\"  # main db\nMAIL_SERVER='smtp.example.com'\nMULTI=\"line one\nMAIL_PORT=not-a-key-here\nline three\"\n  MAIL_PORT='587'\nSECRET_KEY='s3cr#t'\nbroken line without equals\nMAIL_FROM=\"O'Brien <a@example.com>\"\n";
    assert_eq!(after, expected);
}

#[test]
fn edit_of_nothing_changes_nothing_and_an_empty_file_gets_the_keys() {
    assert_eq!(edit(FILE, &[]).unwrap(), FILE);
    assert_eq!(edit(FILE, &[("ABSENT", None)]).unwrap(), FILE);
    assert_eq!(edit("", &[("A", Some("1"))]).unwrap(), "A='1'\n");
    assert_eq!(edit("B=2", &[("A", Some("1"))]).unwrap(), "B=2\nA='1'\n");
}

#[test]
fn export_is_kept_on_a_rewritten_line() {
    let after = edit("export MAIL_PORT=25\n", &[("MAIL_PORT", Some("587"))]).unwrap();
    assert_eq!(after, "export MAIL_PORT='587'\n");
}

#[test]
fn a_refused_value_changes_nothing() {
    let error = edit(
        FILE,
        &[("MAIL_SERVER", Some("x")), ("MAIL_PASSWORD", Some("a\nb"))],
    );
    assert!(matches!(error, Err(Unwritable::Control { .. })));
}
