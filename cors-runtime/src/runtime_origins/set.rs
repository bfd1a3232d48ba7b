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
mod tests;
