//! Compile-time behaviour of `#[derive(MailConfig)]`: what compiles, and what a mistake prints.
//!
//! Refresh the snapshots with `TRYBUILD=overwrite cargo test -p mailconf-tests --test trybuild`,
//! then read every changed `.stderr`: each is a message a user will see.

#[test]
fn ui() {
    // One `TestCases` builds every case in one crate graph, which keeps the run short.
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/compile-fail/*.rs");
}
