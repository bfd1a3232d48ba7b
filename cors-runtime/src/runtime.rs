//! Origins supplied at run time: from an environment variable, a configuration file, a secret
//! store. They are checked at start-up with the very rules `#[cors]` applies at compile time.

use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

#[cfg(feature = "rules")]
use crate::error::OriginListError;
use crate::error::{OriginError, OriginListProblem};
use crate::origin::OriginSet;
#[cfg(feature = "rules")]
use crate::origin::{OriginPattern, table};
#[cfg(feature = "rules")]
use crate::rules::origin::OriginSpec;

#[cfg_attr(not(feature = "rules"), allow(dead_code))]
const ALREADY_SET: &str = "the run-time origins are already set: call `set` once, at start-up";

/// A list of allowed origins set once, at start-up, from configuration, for routes annotated
/// with `#[cors(origins = runtime(NAME))]`.
///
/// Declare it as a `static`, call `set` (or `set_from_str`) before building the server, and stop
/// if it fails: the error lists every bad entry with its fix. Until it is set, every
/// cross-origin request to the routes using it is refused, and the first such route to be
/// registered logs an error naming the list.
///
/// One rule set, applied to the same policy as in `#[cors(origins = [...])]`: every entry is
/// checked with the rules of an origin, and `"*"` is refused (write `origins = "*"` in the
/// attribute for that), so a route only ever reflects an origin that matches the checked list.
/// The credentials rules (no plain `http://` origin other than loopback unless the list is built
/// with [`insecure_http_credentials`](Self::insecure_http_credentials), no subdomain pattern
/// over a public suffix) apply where the route using the list has `credentials`: such a route
/// never reflects an entry that fails them, and logs an error naming each one when it is
/// registered. A route without `credentials` allows them.
///
/// Checking needs the `rules` feature of this crate, which `route-cors` turns on; matching
/// requests costs what a compile-time list costs: no allocation, no lock (one atomic load).
#[derive(Debug)]
pub struct RuntimeOrigins {
    lists: OnceLock<Lists>,
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    insecure_http: bool,
    /// A route found the list unset (logged once).
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    unset_reported: AtomicBool,
    /// A route with credentials found entries it refuses (logged once).
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    credentials_reported: AtomicBool,
}

/// A checked list.
#[derive(Debug)]
struct Lists {
    /// Every entry: what a route without credentials allows.
    all: OriginSet,
    /// The entries that pass the credentials rules too: what a route with credentials allows.
    credentialed: OriginSet,
    /// The entries a route with credentials refuses, each with why.
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    not_for_credentials: Vec<OriginListProblem>,
}

impl Lists {
    fn allows(&self, origin: &[u8], credentials: bool) -> bool {
        if credentials {
            self.credentialed.contains(origin)
        } else {
            self.all.contains(origin)
        }
    }
}

impl RuntimeOrigins {
    /// An empty list, to `set` at start-up.
    pub const fn new() -> Self {
        Self {
            lists: OnceLock::new(),
            insecure_http: false,
            unset_reported: AtomicBool::new(false),
            credentials_reported: AtomicBool::new(false),
        }
    }

    /// **Dangerous.** Like [`new`](Self::new), but plain `http://` origins are accepted for
    /// routes with credentials: anyone on the network path between the browser and those
    /// origins can read and forge the user's credentialed requests. For closed networks only.
    pub const fn insecure_http_credentials() -> Self {
        Self {
            lists: OnceLock::new(),
            insecure_http: true,
            unset_reported: AtomicBool::new(false),
            credentials_reported: AtomicBool::new(false),
        }
    }

    /// The checked list (every entry), once set.
    pub fn get(&self) -> Option<&OriginSet> {
        self.lists.get().map(|lists| &lists.all)
    }

    /// Whether the list is set.
    pub fn is_set(&self) -> bool {
        self.lists.get().is_some()
    }

    /// Whether `origin` (the `Origin` header's bytes) is allowed for a route with or without
    /// `credentials`: `false` until the list is set. No allocation.
    pub fn allows(&self, origin: &[u8], credentials: bool) -> bool {
        #[cfg(feature = "testing")]
        if let Some(allowed) = this_thread::allows(self, origin, credentials) {
            return allowed;
        }
        self.lists
            .get()
            .is_some_and(|lists| lists.allows(origin, credentials))
    }

    /// Called when a route using the list named `name` is registered: says once, at `error`
    /// level, that the list was never set, or which entries a route with credentials refuses.
    #[cfg(feature = "actix")]
    #[doc(hidden)]
    pub fn __route_registered(&self, name: &str, route: &str, credentials: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        #[cfg(feature = "testing")]
        if this_thread::is_set(self) {
            return;
        }
        match self.lists.get() {
            None if !self.unset_reported.swap(true, Relaxed) => log::error!(
                target: "route_cors",
                "the run-time origin list `{name}` used by `{route}` is not set: every cross-origin request to it is refused until `{name}.set(...)` succeeds; set it before building the server",
            ),
            Some(lists)
                if credentials
                    && !lists.not_for_credentials.is_empty()
                    && !self.credentials_reported.swap(true, Relaxed) =>
            {
                let refused: Vec<String> = lists
                    .not_for_credentials
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                log::error!(
                    target: "route_cors",
                    "`{route}` has credentials, so it refuses these entries of `{name}`, which the credentials rules do not allow:\n  - {}",
                    refused.join("\n  - "),
                );
            }
            _ => {}
        }
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
        let checked = self.check(entries, source);
        let already = self.lists.get().is_some();
        let lists = match checked {
            Ok(_) | Err(_) if already => {
                let mut problems = vec![OriginListProblem::list(ALREADY_SET)];
                if let Err(e) = checked {
                    problems.extend(e.problems);
                }
                return Err(OriginListError { problems });
            }
            Ok(lists) => lists,
            Err(e) => return Err(e),
        };
        self.lists.set(lists).map_err(|_| OriginListError {
            problems: vec![OriginListProblem::list(ALREADY_SET)],
        })
    }

    /// Checks `entries` and lays them out: every problem, or both sets.
    fn check(&self, entries: &[&str], source: Source) -> Result<Lists, OriginListError> {
        let mut problems = Vec::new();
        if entries.is_empty() {
            problems.push(OriginListProblem::list(
                "the origin list is empty, so every cross-origin request would be refused",
            ));
        }
        // The rules of an origin; the credentials rules are the routes' to apply, below.
        let rules = crate::rules::list::ListRules {
            credentials: false,
            insecure_http: self.insecure_http,
            opt_in: "",
        };
        let (specs, errors) = crate::rules::list::check_list(entries.iter().copied(), rules);
        for (index, mut error) in errors {
            let entry = entries[index];
            let by_semicolon: Vec<&str> = entry
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if entry == "*" {
                error = OriginError {
                    message: "`*` is refused in a run-time list: a route reflects only origins that were checked".to_owned(),
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
        // `check_list` kept every entry, in order, since none failed.
        let mut credentialed = Vec::new();
        let mut not_for_credentials = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            match crate::rules::credentials::check_credentials(
                spec,
                self.insecure_http,
                "build the list with `RuntimeOrigins::insecure_http_credentials()` if you accept the risk",
            ) {
                Ok(()) => credentialed.push(spec.clone()),
                Err(error) => not_for_credentials.push(OriginListProblem {
                    index: Some(index),
                    entry: entries[index].to_owned(),
                    error,
                }),
            }
        }
        Ok(Lists {
            all: OriginSet::__leak(&specs),
            credentialed: OriginSet::__leak(&credentialed),
            not_for_credentials,
        })
    }

    /// The entries a route with `credentials` refuses, each with why (empty until set).
    pub fn refused_with_credentials(&self) -> &[OriginListProblem] {
        self.lists
            .get()
            .map_or(&[], |lists| lists.not_for_credentials.as_slice())
    }
}

#[cfg(feature = "rules")]
impl OriginSet {
    /// Builds a set from checked entries at run time (start-up, tests), leaking its strings and
    /// tables to `'static` once: a set lives as long as the program. `Any` entries are skipped.
    #[doc(hidden)]
    pub fn __leak(specs: &[OriginSpec]) -> Self {
        fn leak(s: &str) -> &'static str {
            Box::leak(s.to_owned().into_boxed_str())
        }
        let mut exact = Vec::new();
        let mut patterns = Vec::new();
        for spec in specs {
            match spec {
                OriginSpec::Exact(origin) => exact.push(leak(origin)),
                OriginSpec::Subdomains { prefix, suffix } => {
                    patterns.push(OriginPattern::Subdomains {
                        prefix: leak(prefix),
                        suffix: leak(suffix),
                    });
                }
                OriginSpec::AnyPort { prefix } => {
                    patterns.push(OriginPattern::AnyPort {
                        prefix: leak(prefix),
                    });
                }
                OriginSpec::Any => {}
            }
        }
        Self::__new(
            Box::leak(table(&exact).into_boxed_slice()),
            Box::leak(patterns.into_boxed_slice()),
        )
    }
}

#[cfg(all(feature = "testing", feature = "rules"))]
impl RuntimeOrigins {
    /// Sets a list on the current thread only, until the returned guard is dropped: for a test
    /// that builds its own app (`actix_web::test` serves it on the test's thread), while other
    /// tests, on other threads, use lists of their own. Checked as [`set`](Self::set) checks.
    /// Features `testing` and `rules` (`route-cors` turns `rules` on).
    ///
    /// # Errors
    ///
    /// As [`set`](Self::set), but never "already set": a thread's list replaces the one set for
    /// the whole program, and an earlier thread's list, until the guard drops.
    pub fn set_on_this_thread<I, S>(
        &'static self,
        origins: I,
    ) -> Result<ThisThread, OriginListError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries: Vec<S> = origins.into_iter().collect();
        let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        let lists = self.check(&entries, Source::Entries)?;
        Ok(this_thread::set(self, lists))
    }
}

/// A list set on one thread ([`RuntimeOrigins::set_on_this_thread`]): dropping it removes it.
#[cfg(feature = "testing")]
#[derive(Debug)]
#[must_use = "the list is removed when this guard is dropped"]
pub struct ThisThread {
    key: usize,
}

#[cfg(feature = "testing")]
impl Drop for ThisThread {
    fn drop(&mut self) {
        this_thread::remove(self.key);
    }
}

/// The lists set on the current thread, by the address of their `RuntimeOrigins`.
#[cfg(feature = "testing")]
mod this_thread {
    use std::cell::RefCell;

    #[cfg(feature = "rules")]
    use super::ThisThread;
    use super::{Lists, RuntimeOrigins};

    thread_local! {
        static LISTS: RefCell<Vec<(usize, Lists)>> = const { RefCell::new(Vec::new()) };
    }

    fn key(list: &RuntimeOrigins) -> usize {
        core::ptr::from_ref(list) as usize
    }

    #[cfg(feature = "rules")]
    pub(super) fn set(list: &'static RuntimeOrigins, lists: Lists) -> ThisThread {
        let key = key(list);
        LISTS.with_borrow_mut(|all| {
            all.retain(|(k, _)| *k != key);
            all.push((key, lists));
        });
        ThisThread { key }
    }

    pub(super) fn remove(key: usize) {
        LISTS.with_borrow_mut(|all| all.retain(|(k, _)| *k != key));
    }

    pub(super) fn allows(list: &RuntimeOrigins, origin: &[u8], credentials: bool) -> Option<bool> {
        let key = key(list);
        LISTS.with_borrow(|all| {
            all.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, lists)| lists.allows(origin, credentials))
        })
    }

    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    pub(super) fn is_set(list: &RuntimeOrigins) -> bool {
        let key = key(list);
        LISTS.with_borrow(|all| all.iter().any(|(k, _)| *k == key))
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

#[cfg(all(test, feature = "rules"))]
mod tests {
    use super::*;

    #[test]
    fn a_good_list_is_set_once() {
        let origins = RuntimeOrigins::new();
        assert!(!origins.allows(b"https://app.example.com", false));
        origins
            .set_from_str("https://app.example.com, https://*.example.org\thttp://localhost:*")
            .unwrap();
        for yes in [
            "https://app.example.com",
            "https://a.b.example.org",
            "http://localhost:5173",
        ] {
            assert!(origins.allows(yes.as_bytes(), true), "{yes}");
        }
        for no in [
            "https://example.org",
            "https://evil.com",
            "http://app.example.com",
        ] {
            assert!(!origins.allows(no.as_bytes(), false), "{no}");
        }
        let again = origins.set(["https://evil.com"]).unwrap_err();
        assert!(again.to_string().contains("already set"), "{again}");
        assert!(!origins.allows(b"https://evil.com", false));
    }

    #[test]
    fn every_bad_entry_is_reported() {
        let origins = RuntimeOrigins::new();
        let err = origins
            .set([
                "https://ok.example.com",
                "https://App.Example.com/",
                "*",
                "http://intranet..example.com",
                "https://*.com",
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
        assert!(!origins.allows(b"https://ok.example.com", false));
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
    fn credentials_rules_are_the_routes_to_apply() {
        let origins = RuntimeOrigins::new();
        origins
            .set([
                "https://app.example.com",
                "http://intranet.example.com",
                "https://*.github.io",
            ])
            .unwrap();
        for (origin, without, with) in [
            ("https://app.example.com", true, true),
            ("http://intranet.example.com", true, false),
            ("https://pages.github.io", true, false),
            ("https://evil.com", false, false),
        ] {
            assert_eq!(
                origins.allows(origin.as_bytes(), false),
                without,
                "{origin}"
            );
            assert_eq!(
                origins.allows(origin.as_bytes(), true),
                with,
                "{origin} with credentials"
            );
        }
        let refused: Vec<_> = origins
            .refused_with_credentials()
            .iter()
            .map(|p| (p.index, p.error.suggestion.as_deref()))
            .collect();
        assert_eq!(
            refused,
            [
                (Some(1), Some("https://intranet.example.com")),
                (Some(2), None)
            ]
        );
    }

    #[test]
    fn plain_http_with_the_opt_in() {
        let origins = RuntimeOrigins::insecure_http_credentials();
        origins.set(["http://intranet.example.com"]).unwrap();
        assert!(origins.allows(b"http://intranet.example.com", true));
        assert!(origins.refused_with_credentials().is_empty());
    }
}
