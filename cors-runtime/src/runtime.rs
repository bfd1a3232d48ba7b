//! Origins supplied at run time: from an environment variable, a configuration file, a secret
//! store. They are checked at start-up with the very rules `#[cors]` applies at compile time.

use core::fmt;
use std::sync::OnceLock;

use crate::origin::{OriginError, OriginSet};

#[cfg_attr(not(feature = "rules"), allow(dead_code))]
const ALREADY_SET: &str = "the run-time origins are already set: call `set` once, at start-up";

/// A list of allowed origins set once, at start-up, from configuration, for routes annotated
/// with `#[cors(origins = runtime(NAME))]`.
///
/// Declare it as a `static`, call `set` (or `set_from_str`)
/// before building the server, and stop if it fails: the error lists every bad entry with its
/// fix. Until it is set, every cross-origin request to the routes using it is refused.
///
/// The list may serve routes with `credentials`, so it is always checked with the credentials
/// rules: no `"*"` (write `origins = "*"` in the attribute for that), no plain `http://`
/// origin other than loopback (unless the list is built with
/// [`insecure_http_credentials`](Self::insecure_http_credentials)), no subdomain pattern over a
/// public suffix. A route only ever reflects an origin that matches the checked list.
///
/// Checking needs the `rules` feature of this crate, which `route-cors` turns on; matching
/// requests costs what a compile-time list costs: no allocation, no lock (one atomic load).
#[derive(Debug)]
pub struct RuntimeOrigins {
    set: OnceLock<OriginSet>,
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    insecure_http: bool,
}

impl RuntimeOrigins {
    /// An empty list, to `set` at start-up.
    pub const fn new() -> Self {
        Self {
            set: OnceLock::new(),
            insecure_http: false,
        }
    }

    /// **Dangerous.** Like [`new`](Self::new), but plain `http://` origins are accepted for
    /// routes with credentials: anyone on the network path between the browser and those
    /// origins can read and forge the user's credentialed requests. For closed networks only.
    pub const fn insecure_http_credentials() -> Self {
        Self {
            set: OnceLock::new(),
            insecure_http: true,
        }
    }

    /// The checked list, once set.
    pub fn get(&self) -> Option<&OriginSet> {
        self.set.get()
    }

    /// Whether `origin` (the `Origin` header's bytes) is allowed: `false` until the list is set.
    /// No allocation.
    pub fn allows(&self, origin: &[u8]) -> bool {
        self.set.get().is_some_and(|set| set.contains(origin))
    }
}

impl Default for RuntimeOrigins {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "rules")]
impl RuntimeOrigins {
    /// Checks `origins` with the rules of `#[cors]` and, when every entry passes, makes them
    /// the list. Call it once, at start-up.
    ///
    /// The checked entries are kept for the life of the program (leaked once), as the routes
    /// hold them by `'static` reference.
    ///
    /// # Errors
    ///
    /// Every bad entry at once, each with its message and fix; an empty list; a list already
    /// set. Nothing is set then.
    pub fn set<I, S>(&self, origins: I) -> Result<(), OriginListError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries: Vec<S> = origins.into_iter().collect();
        let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        self.set_entries(&entries, Source::Entries)
    }

    /// [`set`](Self::set) with the origins of one string, separated by commas and/or white
    /// space, as an environment variable gives them:
    /// `"https://app.example.com, https://*.example.com"`.
    ///
    /// # Errors
    ///
    /// As [`set`](Self::set); a `;`-separated list or a quoted entry says how to write it.
    pub fn set_from_str(&self, list: &str) -> Result<(), OriginListError> {
        let entries: Vec<&str> = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .collect();
        self.set_entries(&entries, Source::String)
    }

    fn set_entries(&self, entries: &[&str], source: Source) -> Result<(), OriginListError> {
        let mut problems = Vec::new();
        if self.set.get().is_some() {
            problems.push(OriginListProblem::list(ALREADY_SET));
        }
        if entries.is_empty() {
            problems.push(OriginListProblem::list(
                "the origin list is empty, so every cross-origin request would be refused",
            ));
        }
        let rules = crate::origin::ListRules {
            credentials: true,
            insecure_http: self.insecure_http,
            opt_in: "build the list with `RuntimeOrigins::insecure_http_credentials()` if you accept the risk",
        };
        let (specs, errors) = crate::origin::check_list(entries.iter().copied(), rules);
        for (index, mut error) in errors {
            let entry = entries[index];
            let by_semicolon: Vec<&str> = entry
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if entry == "*" {
                error = OriginError {
                    message: "`*` is refused in a run-time list: the list may serve routes with credentials".to_owned(),
                    suggestion: None,
                    hint: Some("for any origin, write `origins = \"*\"` in `#[cors]`".to_owned()),
                };
            } else if by_semicolon.len() > 1 {
                let hint = match source {
                    Source::String => format!(
                        "separate origins with commas or spaces: `{}`",
                        by_semicolon.join(", ")
                    ),
                    Source::Entries => "give each origin as its own entry, or pass the whole string to `set_from_str`, which splits it on commas and white space".to_owned(),
                };
                error = OriginError {
                    message: "`;` does not separate origins".to_owned(),
                    suggestion: None,
                    hint: Some(hint),
                };
            } else if entry.starts_with(['"', '\'']) || entry.ends_with(['"', '\'']) {
                // In a message about configuration, `write "..."` would read as "with quotes".
                let hint = error.suggestion.take().map_or_else(
                    || "drop the quotes".to_owned(),
                    |fixed| format!("write the origin without them: {fixed}"),
                );
                error.hint = Some(hint);
            }
            problems.push(OriginListProblem {
                index: Some(index),
                entry: entries[index].to_owned(),
                error,
            });
        }
        if !problems.is_empty() {
            return Err(OriginListError { problems });
        }
        let set = OriginSet::__leak(&specs);
        self.set.set(set).map_err(|_| OriginListError {
            problems: vec![OriginListProblem::list(ALREADY_SET)],
        })
    }
}

/// Where the entries of [`RuntimeOrigins::set_entries`] come from, for the wording of fixes.
#[cfg(feature = "rules")]
#[derive(Clone, Copy)]
enum Source {
    /// `set`: one entry per item.
    Entries,
    /// `set_from_str`: one string, split on commas and white space.
    String,
}

/// Why a run-time origin list was refused: every problem found, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginListError {
    problems: Vec<OriginListProblem>,
}

impl OriginListError {
    /// Every problem, in list order (problems with the whole list first).
    pub fn problems(&self) -> &[OriginListProblem] {
        &self.problems
    }
}

/// One problem of a run-time origin list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginListProblem {
    /// The position of the bad entry in the list (from 0), or `None` for a problem of the whole
    /// list (empty, already set).
    pub index: Option<usize>,
    /// The entry as given (empty for a problem of the whole list).
    pub entry: String,
    /// What is wrong, why, and the fix.
    pub error: OriginError,
}

impl OriginListProblem {
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    fn list(message: &str) -> Self {
        Self {
            index: None,
            entry: String::new(),
            error: OriginError {
                message: message.to_owned(),
                suggestion: None,
                hint: None,
            },
        }
    }
}

impl fmt::Display for OriginListProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "origin #{} `{}`: {}", i + 1, self.entry, self.error),
            None => write!(f, "{}", self.error),
        }
    }
}

impl fmt::Display for OriginListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "invalid CORS origin list ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OriginListError {}

#[cfg(all(test, feature = "rules"))]
mod tests {
    use super::*;

    #[test]
    fn a_good_list_is_set_once() {
        let origins = RuntimeOrigins::new();
        assert!(!origins.allows(b"https://app.example.com"));
        origins
            .set_from_str("https://app.example.com, https://*.example.org\thttp://localhost:*")
            .unwrap();
        for yes in [
            "https://app.example.com",
            "https://a.b.example.org",
            "http://localhost:5173",
        ] {
            assert!(origins.allows(yes.as_bytes()), "{yes}");
        }
        for no in [
            "https://example.org",
            "https://evil.com",
            "http://app.example.com",
        ] {
            assert!(!origins.allows(no.as_bytes()), "{no}");
        }
        let again = origins.set(["https://evil.com"]).unwrap_err();
        assert!(again.to_string().contains("already set"), "{again}");
        assert!(!origins.allows(b"https://evil.com"));
    }

    #[test]
    fn every_bad_entry_is_reported() {
        let origins = RuntimeOrigins::new();
        let err = origins
            .set([
                "https://ok.example.com",
                "https://App.Example.com/",
                "*",
                "http://intranet.example.com",
                "https://*.github.io",
                "https://ok.example.com",
                "null",
            ])
            .unwrap_err();
        let at: Vec<_> = err.problems().iter().map(|p| p.index).collect();
        assert_eq!(at, [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]);
        assert_eq!(
            err.problems()[0].error.suggestion.as_deref(),
            Some("https://app.example.com")
        );
        let text = err.to_string();
        assert!(
            text.starts_with("invalid CORS origin list (6 problems):"),
            "{text}"
        );
        assert!(
            text.contains("origin #2 `https://App.Example.com/`"),
            "{text}"
        );
        assert!(origins.get().is_none(), "nothing is set");
        assert!(!origins.allows(b"https://ok.example.com"));
        let empty = origins.set_from_str(" , ").unwrap_err();
        assert_eq!(empty.problems()[0].index, None);
    }

    #[test]
    fn a_semicolon_separated_list_says_how_to_separate_origins() {
        let origins = RuntimeOrigins::new();
        let err = origins
            .set_from_str("https://a.example.com;https://b.example.com; https://c.example.com")
            .unwrap_err();
        // The space splits the string: `https://c.example.com` is an entry of its own, and good.
        assert_eq!(err.problems().len(), 1, "{err}");
        let first = &err.problems()[0].error;
        assert_eq!(first.message, "`;` does not separate origins");
        assert_eq!(first.suggestion, None);
        assert_eq!(
            first.hint.as_deref(),
            Some(
                "separate origins with commas or spaces: `https://a.example.com, https://b.example.com`"
            )
        );
        let text = err.to_string();
        assert!(
            text.contains("origin #1 `https://a.example.com;https://b.example.com;`: `;` does not separate origins; separate origins with commas or spaces"),
            "{text}"
        );
        let err = origins
            .set(["https://a.example.com;https://b.example.com"])
            .unwrap_err();
        let hint = err.problems()[0].error.hint.as_deref().unwrap_or_default();
        assert!(hint.contains("`set_from_str`"), "{hint}");
        // A stray `;` is one origin: the fix is that origin.
        let err = origins.set_from_str("https://a.example.com;").unwrap_err();
        assert_eq!(
            err.problems()[0].error.suggestion.as_deref(),
            Some("https://a.example.com")
        );
        assert!(origins.get().is_none());
    }

    #[test]
    fn a_quoted_entry_says_to_drop_the_quotes() {
        let origins = RuntimeOrigins::new();
        let err = origins
            .set_from_str(
                r#""https://a.example.com", 'https://B.example.com/', "https://*.example.org"#,
            )
            .unwrap_err();
        let hints: Vec<(&str, Option<&str>)> = err
            .problems()
            .iter()
            .map(|p| (p.error.message.as_str(), p.error.hint.as_deref()))
            .collect();
        let drop = "quotes are not part of an origin: drop the quotes";
        assert_eq!(
            hints,
            [
                (
                    drop,
                    Some("write the origin without them: https://a.example.com")
                ),
                (
                    drop,
                    Some("write the origin without them: https://b.example.com")
                ),
                (
                    drop,
                    Some("write the origin without them: https://*.example.org")
                ),
            ]
        );
        assert!(err.problems().iter().all(|p| p.error.suggestion.is_none()));
        let lone = origins.set(["\""]).unwrap_err();
        assert_eq!(
            lone.problems()[0].error.hint.as_deref(),
            Some("drop the quotes")
        );
    }

    #[test]
    fn plain_http_with_the_opt_in() {
        let origins = RuntimeOrigins::insecure_http_credentials();
        origins.set(["http://intranet.example.com"]).unwrap();
        assert!(origins.allows(b"http://intranet.example.com"));
    }
}
