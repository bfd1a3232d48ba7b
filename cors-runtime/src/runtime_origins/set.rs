//! Setting a run-time list at start-up (feature `rules`): [`RuntimeOrigins::set`] and
//! [`RuntimeOrigins::set_from_str`] apply the rules of `#[cors]` to every entry (in `check`),
//! and make the entries the list a route reads.

use std::sync::{Arc, MutexGuard, PoisonError};

use super::check::Source;
use super::list::Lists;
use super::{Action, Change, RuntimeOrigins, State, Tenancy};
use crate::error::{OriginError, OriginListError, OriginListProblem};
use crate::origin::{OriginPattern, OriginSet, table};
use crate::rules::origin::OriginSpec;

const ALREADY_SET: &str = "the run-time origins are already set: call `set` once, at start-up";
const TO_CHANGE: &str =
    "to change the list while serving, call `update().replace(...)`, `.add(...)` or `.remove(...)`";

impl RuntimeOrigins {
    /// Held by every change (see `writer`). A change that panicked left no half-made list
    /// behind (the list in force is replaced whole), so a poisoned lock is taken as it is.
    pub(super) fn lock_writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

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
    /// use cors_runtime::runtime_origins::RuntimeOrigins;
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
        let _writer = self.lock_writer();
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
        let _writer = self.lock_writer();
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

    /// The problem of entry `index` of a list, `entry` as given.
    pub(super) fn entry(index: usize, entry: &str, error: OriginError) -> Self {
        Self {
            tenant: None,
            index: Some(index),
            entry: entry.to_owned(),
            error,
        }
    }
}

#[cfg(test)]
mod tests;
