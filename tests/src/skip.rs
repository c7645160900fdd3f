//! A suite whose real component is missing says so loudly and passes, except under CI (`CI`
//! set), where it fails: the rule of scripts/setup/README.md, in one place for every suite.

/// Says `SKIPPED: {suite} did not run: {missing}; run scripts/test-all.sh` on stderr, for the
/// caller to return without testing; under CI, which runs scripts/test-all.sh and so has every
/// component, fails with the same words instead.
///
/// # Panics
/// Under CI.
pub fn missing(suite: &str, missing: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{suite} cannot run under CI: {missing}; CI must run scripts/test-all.sh, which installs it"
    );
    eprintln!("SKIPPED: {suite} did not run: {missing}; run scripts/test-all.sh");
}
