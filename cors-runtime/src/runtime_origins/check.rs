//! Checking the entries of a run-time list (feature `rules`), for `set`, `update` and
//! `set_on_this_thread`: every entry with the rules of `#[cors]`, each refusal worded for a
//! list from configuration, then the entries laid out as the list a route reads.

use super::RuntimeOrigins;
use super::list::{Entry, Lists, Pattern};
use crate::error::{OriginError, OriginListError, OriginListProblem};
use crate::rules::origin::OriginSpec;

impl RuntimeOrigins {
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
            problems.push(empty_list());
        }
        // The rules of an origin; the credentials rules are the routes' to apply, below.
        let rules = crate::rules::list::ListRules {
            credentials: false,
            insecure_http: self.insecure_http,
            opt_in: "",
        };
        let (specs, errors) = crate::rules::list::check_list(entries.iter().copied(), rules);
        problems.extend(errors.into_iter().map(|(index, error)| {
            let entry = entries[index];
            OriginListProblem::entry(index, entry, for_runtime_list(entry, source, error))
        }));
        refuse_if_any(problems)?;
        // `check_list` kept every entry, in order, since none failed.
        Ok(self.checked_for_credentials(entries, specs))
    }

    /// `specs`, the checked `entries`, each with whether it passes the credentials rules, and
    /// why not when it does not.
    fn checked_for_credentials(&self, entries: &[&str], specs: Vec<OriginSpec>) -> Checked {
        let mut credentials_ok = Vec::with_capacity(specs.len());
        let mut not_for_credentials = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            let passes = crate::rules::credentials::check_credentials(
                spec,
                self.insecure_http,
                "build the list with `RuntimeOrigins::allowing_insecure_http_credentials()` if you accept the risk",
            );
            credentials_ok.push(passes.is_ok());
            if let Err(error) = passes {
                not_for_credentials.push(OriginListProblem::entry(index, entries[index], error));
            }
        }
        Checked {
            specs,
            credentials_ok,
            not_for_credentials,
        }
    }
}

/// The problem of an empty list, where one is refused (everywhere but a tenant's list in
/// `replace_tenants`).
fn empty_list() -> OriginListProblem {
    let mut empty = OriginListProblem::list(
        "the origin list is empty, so every cross-origin request would be refused",
    );
    empty.error.hint =
        Some("to allow no cross-origin request on purpose, call `set_none()` instead".to_owned());
    empty
}

/// `error`, the rules' refusal of `entry`, reworded for a list from configuration: `*` has
/// no place in it, and a `;` or quotes come from how the list was written (`source`).
fn for_runtime_list(entry: &str, source: Source, mut error: OriginError) -> OriginError {
    let by_semicolon: Vec<&str> = entry
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if entry == "*" {
        return OriginError {
            message:
                "`*` is refused in a run-time list: a route reflects only origins that were checked"
                    .to_owned(),
            suggestion: None,
            hint: Some("for any origin, write `origins = \"*\"` in `#[cors]`".to_owned()),
        };
    }
    if by_semicolon.len() > 1 {
        let hint = match source {
            Source::String => format!(
                "separate origins with commas or spaces: `{}`",
                by_semicolon.join(", ")
            ),
            Source::Entries => "give each origin as its own entry, or pass the whole string to `set_from_str`, which splits it on commas and white space".to_owned(),
        };
        return OriginError {
            message: "`;` does not separate origins".to_owned(),
            suggestion: None,
            hint: Some(hint),
        };
    }
    if entry.starts_with(['"', '\'']) || entry.ends_with(['"', '\'']) {
        // In a message about configuration, `write "..."` would read as "with quotes".
        let hint = error.suggestion.take().map_or_else(
            || "drop the quotes".to_owned(),
            |fixed| format!("write the origin without them: {fixed}"),
        );
        error.hint = Some(hint);
    }
    error
}

/// `Ok` when there is no problem, else the error that lists them.
pub(super) fn refuse_if_any(problems: Vec<OriginListProblem>) -> Result<(), OriginListError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(OriginListError { problems })
    }
}

/// Names `tenant` (`None`: the shared list) in each of `problems`.
pub(super) fn name_tenant(problems: &mut [OriginListProblem], tenant: Option<&str>) {
    for problem in problems {
        problem.tenant = tenant.map(str::to_owned);
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
        name_tenant(&mut self.not_for_credentials, tenant);
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

/// Where the entries of a list come from, for the wording of fixes.
#[derive(Clone, Copy)]
pub(super) enum Source {
    /// `set`: one entry per item.
    Entries,
    /// `set_from_str`: one string, split on commas and white space.
    String,
}
