//! The workspace's criterion benchmarks, in `benches/`: `cargo bench -p benches`. Results and
//! the machine they ran on are in `docs/BENCHMARKS.md`.
//!
//! A crate of its own so that the benchmarks' dependencies stay out of `mailconf-smtp`'s
//! dev-dependencies, and the README's first command builds only what it runs.
