//! Checking and setting a run-time list (feature `rules`): [`RuntimeOrigins::set`] and
//! [`RuntimeOrigins::set_from_str`] apply the rules of `#[cors]` to every entry, and lay the
//! entries out as the list a route reads.

use std::sync::{Arc, PoisonError};

use super::list::{Entry, Lists, Pattern};
use super::{Action, Change, RuntimeOrigins, State, Tenancy};
use crate::error::{OriginError, OriginListError, OriginListProblem};
use crate::origin::{OriginPattern, OriginSet, table};
use crate::rules::origin::OriginSpec;

const ALREADY_SET: &str = "the run-time origins are already set: call `set` once, at start-up";
const TO_CHANGE: &str =
    "to change the list while serving, call `update().replace(...)`, `.add(...)` or `.remove(...)`";

impl RuntimeOrigins {
    /// Checks `origins` with the rules of `#[cors]` and, when every entry passes, makes them
    /// the list. Call it once, at start-up; [`update`](Self::update) changes the list later.
    ///
    /// # Errors
    ///
    /// Every bad entry at once, each with its message and fix; an empty list; a list already
    /// set (with how to change it); a per-tenant list (set with `update().tenant(..)`). Nothing
    /// is set then.
    pub fn set<I, S>(&self, origins: I) -> Result<(), OriginListError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries: Vec<S> = origins.into_iter().collect();
        let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        self.start_up(|| self.check(&entries, Source::Entries))
    }

    /// Sets the list empty, on purpose: this deployment allows no cross-origin request to the
    /// routes using it. Unlike a list never set, this logs no error when they are registered
    /// (one `info` line says the list is empty); their refusals say so. `set` and
    /// `set_from_str` refuse an empty list, since an empty configuration value is more often a
    /// mistake than this decision. For a per-tenant list: no tenant yet.
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
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if self.state.load().is_some() {
            return Err(Self::already_set(Vec::new()));
        }
        let state = match self.tenancy {
            Tenancy::Shared => State::Shared(Arc::new(Lists::none())),
            _ => State::Tenants(std::collections::HashMap::new()),
        };
        self.state.store(Some(Arc::new(state)));
        self.report(&Change {
            by: None,
            tenant: None,
            action: Action::Set,
            added: Vec::new(),
            removed: Vec::new(),
            len: 0,
            rejected: None,
        });
        Ok(())
    }

    /// [`set`](Self::set) with the origins of one string, separated by commas and/or white
    /// space, as an environment variable gives them:
    /// `"https://app.example.com, https://*.example.com"`.
    ///
    /// # Errors
    ///
    /// As [`set`](Self::set); a `;`-separated list or a quoted entry says how to write it.
    pub fn set_from_str(&self, list: &str) -> Result<(), OriginListError> {
        let entries = split(list);
        self.start_up(|| self.check(&entries, Source::String))
    }

    /// The start-up list, from `check`, unless a list is set.
    fn start_up(
        &self,
        check: impl FnOnce() -> Result<Lists, OriginListError>,
    ) -> Result<(), OriginListError> {
        if self.tenancy != Tenancy::Shared {
            let mut problem = OriginListProblem::list(
                "this list is kept per tenant: set each tenant's list with `update().tenant(..).replace(...)`, or all of them with `update().replace_tenants(...)`",
            );
            problem.error.hint = Some("or `set_none()` for no tenant yet".to_owned());
            return Err(OriginListError {
                problems: vec![problem],
            });
        }
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let checked = check();
        if self.state.load().is_some() {
            return Err(Self::already_set(
                checked.err().map(|e| e.problems).unwrap_or_default(),
            ));
        }
        let lists = checked.inspect_err(|e| {
            self.report(&Change {
                by: None,
                tenant: None,
                action: Action::Set,
                added: Vec::new(),
                removed: Vec::new(),
                len: 0,
                rejected: Some(e.clone()),
            });
        })?;
        let change = Change {
            by: None,
            tenant: None,
            action: Action::Set,
            added: if self.hook.get().is_some() {
                lists.entries()
            } else {
                Vec::new()
            },
            removed: Vec::new(),
            len: lists.len(),
            rejected: None,
        };
        self.state
            .store(Some(Arc::new(State::Shared(Arc::new(lists)))));
        self.report(&change);
        Ok(())
    }

    fn already_set(more: Vec<OriginListProblem>) -> OriginListError {
        let mut already = OriginListProblem::list(ALREADY_SET);
        already.error.hint = Some(TO_CHANGE.to_owned());
        let mut problems = vec![already];
        problems.extend(more);
        OriginListError { problems }
    }

    /// Checks `entries` and lays them out: every problem, or the list.
    pub(super) fn check(&self, entries: &[&str], source: Source) -> Result<Lists, OriginListError> {
        let checked = self.check_entries(entries, source, false)?;
        checked.lay_out(None)
    }

    /// Checks `entries` with the rules of an origin: every problem, or each entry in canonical
    /// form with whether it passes the credentials rules too. An empty list is a problem unless
    /// `empty_ok`.
    pub(super) fn check_entries(
        &self,
        entries: &[&str],
        source: Source,
        empty_ok: bool,
    ) -> Result<Checked, OriginListError> {
        let mut problems = Vec::new();
        if entries.is_empty() && !empty_ok {
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
                tenant: None,
                index: Some(index),
                entry: entries[index].to_owned(),
                error,
            });
        }
        if !problems.is_empty() {
            return Err(OriginListError { problems });
        }
        // `check_list` kept every entry, in order, since none failed.
        let mut credentials_ok = Vec::with_capacity(specs.len());
        let mut not_for_credentials = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            match crate::rules::credentials::check_credentials(
                spec,
                self.insecure_http,
                "build the list with `RuntimeOrigins::allowing_insecure_http_credentials()` if you accept the risk",
            ) {
                Ok(()) => credentials_ok.push(true),
                Err(error) => {
                    credentials_ok.push(false);
                    not_for_credentials.push(OriginListProblem {
                        tenant: None,
                        index: Some(index),
                        entry: entries[index].to_owned(),
                        error,
                    });
                }
            }
        }
        Ok(Checked {
            specs,
            credentials_ok,
            not_for_credentials,
        })
    }

    /// The entries a route with `credentials` refuses, each with why (empty until set; for a
    /// per-tenant list, every tenant's, each naming its tenant).
    pub fn refused_with_credentials(&self) -> Vec<OriginListProblem> {
        match self.state.load().as_deref() {
            Some(State::Shared(lists)) => lists.not_for_credentials.clone(),
            Some(State::Tenants(map)) => {
                let mut all: Vec<OriginListProblem> = map
                    .values()
                    .flat_map(|lists| lists.not_for_credentials.iter().cloned())
                    .collect();
                all.sort_by(|a, b| (&a.tenant, a.index).cmp(&(&b.tenant, b.index)));
                all
            }
            None => Vec::new(),
        }
    }
}

/// Checked entries, before they are laid out.
pub(super) struct Checked {
    pub(super) specs: Vec<OriginSpec>,
    pub(super) credentials_ok: Vec<bool>,
    pub(super) not_for_credentials: Vec<OriginListProblem>,
}

impl Checked {
    /// Each entry as the list lays it out.
    pub(super) fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.specs
            .iter()
            .zip(&self.credentials_ok)
            .filter_map(|(spec, &ok)| entry(spec, ok))
    }

    /// The list of these entries alone, its problems naming `tenant`.
    pub(super) fn lay_out(mut self, tenant: Option<&str>) -> Result<Lists, OriginListError> {
        for problem in &mut self.not_for_credentials {
            problem.tenant = tenant.map(str::to_owned);
        }
        let not_for_credentials = core::mem::take(&mut self.not_for_credentials);
        Lists::build(self.entries(), not_for_credentials).ok_or_else(too_large)
    }
}

/// A checked entry as the list lays it out (`Any` is refused before).
fn entry(spec: &OriginSpec, credentials_ok: bool) -> Option<Entry<'_>> {
    Some(match spec {
        OriginSpec::Exact(origin) => Entry::Exact(origin, credentials_ok),
        OriginSpec::Subdomains { prefix, suffix } => Entry::Pattern(
            Pattern::Subdomains {
                prefix: prefix.as_str().into(),
                suffix: suffix.as_str().into(),
            },
            credentials_ok,
        ),
        OriginSpec::AnyPort { prefix } => Entry::Pattern(
            Pattern::AnyPort {
                prefix: prefix.as_str().into(),
            },
            credentials_ok,
        ),
        OriginSpec::Any => return None,
    })
}

/// A list past the layout's 32-bit offsets (4 GiB of origins).
pub(super) fn too_large() -> OriginListError {
    OriginListError {
        problems: vec![OriginListProblem::list(
            "the origin list is too large: at most 4 GiB of origins, 2^32 - 1 entries",
        )],
    }
}

/// The entries of a string, split on commas and white space.
pub(super) fn split(list: &str) -> Vec<&str> {
    list.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect()
}

impl OriginSet {
    /// Builds a set from checked entries at run time (tests), leaking its strings and tables to
    /// `'static` once. `Any` entries are skipped.
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

/// Where the entries of a list come from, for the wording of fixes.
#[derive(Clone, Copy)]
pub(super) enum Source {
    /// `set`: one entry per item.
    Entries,
    /// `set_from_str`: one string, split on commas and white space.
    String,
}

impl OriginListProblem {
    pub(super) fn list(message: &str) -> Self {
        Self {
            tenant: None,
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
        let refused = origins.refused_with_credentials();
        let refused: Vec<_> = refused
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
