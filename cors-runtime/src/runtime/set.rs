//! Checking and setting a run-time list (feature `rules`): [`RuntimeOrigins::set`] and
//! [`RuntimeOrigins::set_from_str`] apply the rules of `#[cors]` to every entry, and lay the
//! entries out as the two sets a route reads.

use super::{Lists, RuntimeOrigins};
use crate::error::{OriginError, OriginListError, OriginListProblem};
use crate::origin::{OriginPattern, OriginSet, table};
use crate::rules::origin::OriginSpec;

const ALREADY_SET: &str = "the run-time origins are already set: call `set` once, at start-up";

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

    /// Sets the list empty, on purpose: this deployment allows no cross-origin request to the
    /// routes using it. Unlike a list never set, this logs no error when they are registered
    /// (one `info` line says the list is empty); their refusals say so. `set` and
    /// `set_from_str` refuse an empty list, since an empty configuration value is more often a
    /// mistake than this decision.
    ///
    /// # Examples
    ///
    /// ```
    /// use cors_runtime::runtime::RuntimeOrigins;
    ///
    /// static ORIGINS: RuntimeOrigins = RuntimeOrigins::new();
    ///
    /// // Unset in this deployment: no page of another origin calls these routes.
    /// match std::env::var("EXTRA_ORIGINS_UNSET_IN_THIS_EXAMPLE") {
    ///     Ok(list) => ORIGINS.set_from_str(&list)?,
    ///     Err(_) => ORIGINS.set_none()?,
    /// }
    /// assert!(ORIGINS.is_set());
    /// assert!(!ORIGINS.allows(b"https://app.example.com", false));
    /// # Ok::<(), cors_runtime::error::OriginListError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A list already set.
    pub fn set_none(&self) -> Result<(), OriginListError> {
        let none = Lists {
            all: OriginSet::__new(&[], &[]),
            credentialed: OriginSet::__new(&[], &[]),
            not_for_credentials: Vec::new(),
            none: true,
        };
        self.lists.set(none).map_err(|_| OriginListError {
            problems: vec![OriginListProblem::list(ALREADY_SET)],
        })
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
    pub(super) fn check(&self, entries: &[&str], source: Source) -> Result<Lists, OriginListError> {
        let mut problems = Vec::new();
        if entries.is_empty() {
            let mut empty = OriginListProblem::list(
                "the origin list is empty, so every cross-origin request would be refused",
            );
            empty.error.hint = Some(
                "to allow no cross-origin request on purpose, call `set_none()` instead".to_owned(),
            );
            problems.push(empty);
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
                "build the list with `RuntimeOrigins::allowing_insecure_http_credentials()` if you accept the risk",
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
            none: false,
        })
    }

    /// The entries a route with `credentials` refuses, each with why (empty until set).
    pub fn refused_with_credentials(&self) -> &[OriginListProblem] {
        self.lists
            .get()
            .map_or(&[], |lists| lists.not_for_credentials.as_slice())
    }
}

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

/// Where the entries of [`RuntimeOrigins::set_entries`] come from, for the wording of fixes.
#[derive(Clone, Copy)]
pub(super) enum Source {
    /// `set`: one entry per item.
    Entries,
    /// `set_from_str`: one string, split on commas and white space.
    String,
}

impl OriginListProblem {
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

#[cfg(test)]
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
    fn names_under_localhost_are_loopback_with_credentials() {
        let origins = RuntimeOrigins::new();
        origins
            .set([
                "http://app.localhost:3000",
                "http://*.localhost",
                "http://localhost:*",
            ])
            .unwrap();
        assert!(origins.refused_with_credentials().is_empty());
        for yes in [
            "http://app.localhost:3000",
            "http://admin.app.localhost",
            "http://localhost:5173",
        ] {
            assert!(origins.allows(yes.as_bytes(), true), "{yes}");
        }
        assert!(!origins.allows(b"http://app.localhost:3001", true));
    }

    #[test]
    fn an_empty_list_is_said_on_purpose() {
        let origins = RuntimeOrigins::new();
        let empty = origins.set_from_str("").unwrap_err();
        assert_eq!(
            empty.problems()[0].error.hint.as_deref(),
            Some("to allow no cross-origin request on purpose, call `set_none()` instead")
        );
        assert!(!origins.is_set());
        origins.set_none().unwrap();
        assert!(origins.is_set());
        assert!(origins.get().is_some());
        assert!(origins.refused_with_credentials().is_empty());
        for origin in ["https://app.example.com", "", "null"] {
            assert!(!origins.allows(origin.as_bytes(), false), "{origin}");
            assert!(!origins.allows(origin.as_bytes(), true), "{origin}");
        }
        let again = origins.set_none().unwrap_err();
        assert!(again.to_string().contains("already set"), "{again}");
        let after = origins.set(["https://app.example.com"]).unwrap_err();
        assert!(after.to_string().contains("already set"), "{after}");
        assert!(!origins.allows(b"https://app.example.com", false));
        // And the other way round.
        let set = RuntimeOrigins::new();
        set.set(["https://app.example.com"]).unwrap();
        assert!(set.set_none().is_err());
        assert!(set.allows(b"https://app.example.com", false));
    }

    #[test]
    fn plain_http_with_the_opt_in() {
        let origins = RuntimeOrigins::allowing_insecure_http_credentials();
        origins.set(["http://intranet.example.com"]).unwrap();
        assert!(origins.allows(b"http://intranet.example.com", true));
        assert!(origins.refused_with_credentials().is_empty());
    }
}
