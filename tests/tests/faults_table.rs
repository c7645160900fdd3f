//! The fault table of docs/RELIABILITY.md: every scenario of the catalogue, measured, those
//! that other files test too. Ignored by default; print it with
//! `cargo test -p mailconf-tests --test faults_table -- --ignored --nocapture`.

use mailconf_tests::scripted::catalogue::TABLE;

/// Prints the table of docs/RELIABILITY.md: every scenario, measured.
#[tokio::test]
#[ignore = "prints the fault table for docs/RELIABILITY.md; run with --ignored --nocapture"]
async fn fault_table() {
    println!("| scenario | result (stage) | code | attempts | time | notes |");
    println!("|---|---|---|---|---|---|");
    for (name, scenario) in TABLE {
        println!("{}", scenario.run().await.row(name));
    }
}
