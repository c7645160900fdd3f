//! Every address `EmailAddress` accepts must also be accepted by lettre's `Address`, and every
//! `Mailbox` must be buildable as a lettre `Mailbox`: a config that validates is a config that
//! sends.

use lettre::Address;
use mailconf_values::{EmailAddress, FromValue, Mailbox};
use proptest::prelude::*;

fn address_like() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        "[a-zA-Z0-9._%+-]{0,20}",
        "\"[ -~]{0,10}\"",
        "[a-z!#$&'*/=?^`{|}~.]{1,8}",
        ".{0,12}",
    ];
    let domain = prop_oneof![
        "[a-z0-9-]{1,12}(\\.[a-z0-9-]{1,8}){0,3}",
        "\\[[0-9.:a-f]{2,20}\\]",
        "[a-zäöüéß0-9-]{1,10}\\.[a-z]{2,4}",
        ".{0,12}",
    ];
    (local, domain, prop_oneof![Just("@"), Just(""), Just("@@")])
        .prop_map(|(l, d, at)| format!("{l}{at}{d}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn accepted_addresses_are_lettre_addresses(raw in address_like()) {
        if let Ok(ours) = EmailAddress::from_value(&raw) {
            // Spaces around the address are ignored, as pydantic does.
            let theirs = raw.trim().parse::<Address>();
            prop_assert!(theirs.is_ok(), "we accepted {raw:?}, lettre said {theirs:?}");
            let theirs = theirs.unwrap();
            prop_assert_eq!(theirs.user(), ours.local_part());
            prop_assert_eq!(theirs.domain(), ours.domain());
        }
    }

    #[test]
    fn accepted_mailboxes_are_lettre_mailboxes(name in "[ -~äöü]{0,16}", raw in address_like()) {
        let text = format!("{name} <{raw}>");
        if let Ok(ours) = Mailbox::from_value(&text) {
            let theirs = lettre::message::Mailbox::new(ours.name.clone(), ours.email.as_str().parse::<Address>().unwrap());
            prop_assert_eq!(theirs.email.to_string(), ours.email.as_str());
        }
    }
}

#[test]
fn the_generator_produces_both_accepted_and_rejected_addresses() {
    // Guards the properties above against a generator whose inputs are all rejected.
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = address_like();
    let accepted = (0..2000)
        .filter(|_| {
            let raw = strategy.new_tree(&mut runner).unwrap().current();
            EmailAddress::from_value(&raw).is_ok()
        })
        .count();
    assert!(
        (200..1800).contains(&accepted),
        "{accepted} of 2000 accepted"
    );
}
