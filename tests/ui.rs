//! Compile-time behaviour: every `tests/ui/*.rs` must fail to compile with exactly the error in
//! its `.stderr`; every `tests/ui/pass/*.rs` must compile (under `#![deny(warnings)]`).
//!
//! The snapshots are rustc's own rendering, which changes between compiler versions, so they are
//! pinned to one: on another rustc this test fails and says so, rather than skipping.

/// The rustc the `.stderr` snapshots were reviewed with.
const SNAPSHOT_RUSTC: &str = "rustc 1.95.";

#[test]
fn ui() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = std::process::Command::new(&rustc)
        .arg("--version")
        .output()
        .expect("run rustc --version");
    let version = String::from_utf8_lossy(&version.stdout);
    assert!(
        version.starts_with(SNAPSHOT_RUSTC),
        "the UI snapshots were reviewed with {SNAPSHOT_RUSTC}x, this is {version}: run the tests with that \
         toolchain, or regenerate with TRYBUILD=overwrite and review every changed .stderr"
    );
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
