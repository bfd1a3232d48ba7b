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

/// `docs/diagnostics.md` names every UI case, and every case it names exists.
#[test]
fn the_diagnostics_reference_names_every_ui_case() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(root.join("docs/diagnostics.md")).expect("read the docs");
    let mut cases = Vec::new();
    for (dir, prefix) in [("tests/ui", ""), ("tests/ui/pass", "pass/")] {
        for entry in std::fs::read_dir(root.join(dir)).expect("list the UI cases") {
            let name = entry.expect("a directory entry").file_name();
            let name = name.to_string_lossy();
            if is_rs(&name) {
                cases.push(format!("{prefix}{name}"));
            }
        }
    }
    let missing: Vec<&String> = cases
        .iter()
        .filter(|case| {
            let name = case.trim_start_matches("pass/");
            !docs.contains(&format!("`{case}`")) && !docs.contains(&format!("`{name}`"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "not in docs/diagnostics.md: {missing:?}"
    );
    // Every `name.rs` (or `pass/name.rs`) the page names; paths elsewhere have a `/`.
    let stale: Vec<&str> = docs
        .split(|c: char| c.is_whitespace() || "|,()`".contains(c))
        .filter(|word| is_rs(word) && (!word.contains('/') || word.starts_with("pass/")))
        .filter(|word| {
            !cases
                .iter()
                .any(|c| c == word || c.trim_start_matches("pass/") == *word)
        })
        .collect();
    assert!(
        stale.is_empty(),
        "named in docs/diagnostics.md but not in tests/ui: {stale:?}"
    );
}

/// Whether `name` is a Rust file name, `x.rs`.
fn is_rs(name: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|ext| ext == "rs")
}

/// The `# Keys` table of `#[cors]`'s rustdoc (`src/lib.rs`) and the README's `## Keys` table say
/// the same type and default for every key: one fact, checked in its two places.
#[test]
fn the_key_tables_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |file: &str| std::fs::read_to_string(root.join(file)).expect("read the docs");
    let readme = read("README.md");
    let readme = readme
        .split_once("\n## Keys\n")
        .expect("the README has a `## Keys` section")
        .1;
    let lib = read("src/lib.rs");
    let lib = lib
        .split_once("/// # Keys\n")
        .expect("`#[cors]` has a `# Keys` section")
        .1;
    let readme = key_rows(readme.lines().map(str::trim));
    let lib = key_rows(
        lib.lines()
            .map(|l| l.trim().trim_start_matches("///").trim()),
    );
    assert!(!readme.is_empty(), "no key rows read in the README");
    assert_eq!(
        lib, readme,
        "src/lib.rs (left) and README.md (right) differ"
    );
}

/// The rows of the first table in `lines` whose key is one backticked name: key, type, default.
fn key_rows<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<(String, String, String)> {
    let mut rows: Vec<(String, String, String)> = lines
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|row| {
            let cells: Vec<&str> = row
                .split(" | ")
                .map(|c| c.trim_matches('|').trim())
                .collect();
            let key = cells.first()?.strip_prefix('`')?.strip_suffix('`')?;
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_')
                .then(|| (key.to_owned(), cells[1].to_owned(), cells[2].to_owned()))
        })
        .collect();
    rows.sort();
    rows
}
