//! Changing a run-time list while serving (feature `rules`): [`Update`], from
//! [`RuntimeOrigins::update`]. Each change is checked with the rules of `set`, applied in one
//! atomic store, and reported to the change hook; a rejected one changes nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::check::{Source, name_tenant, refuse_if_any, too_large};
use super::key::check_tenant;
use super::list::Lists;
use super::set::split;
use super::{Action, Change, RuntimeOrigins, State, Tenancy};
use crate::error::{OriginError, OriginListError, OriginListProblem};

impl RuntimeOrigins {
    /// A change to the list in force, to say who makes it ([`Update::by`]), for which tenant
    /// ([`Update::tenant`]), then what ([`Update::replace`], [`Update::add`],
    /// [`Update::remove`], ...).
    ///
    /// Changes are serialised (one at a time, in the order they take the list's writer lock);
    /// requests never wait for them: a request reads the list in force with one atomic load and
    /// sees the old list or the new one, never a mix.
    ///
    /// # Examples
    ///
    /// ```
    /// use cors_runtime::runtime_origins::RuntimeOrigins;
    ///
    /// static ORIGINS: RuntimeOrigins = RuntimeOrigins::new();
    ///
    /// ORIGINS.set(["https://app.example.com"])?;
    /// let change = ORIGINS.update().by("alice").add(["https://admin.example.com"])?;
    /// assert_eq!(change.added, ["https://admin.example.com"]);
    /// assert!(ORIGINS.allows(b"https://admin.example.com", true));
    ///
    /// // A rejected change says every bad entry, and leaves the list as it was.
    /// let err = ORIGINS.update().replace(["https://ok.example.com", "https://Bad.example.com/"]);
    /// assert_eq!(err.unwrap_err().problems()[0].index, Some(1));
    /// assert!(ORIGINS.allows(b"https://admin.example.com", true));
    ///
    /// ORIGINS.update().remove(["https://admin.example.com"])?;
    /// assert!(!ORIGINS.allows(b"https://admin.example.com", true));
    /// # Ok::<(), cors_runtime::error::OriginListError>(())
    /// ```
    pub fn update(&self) -> Update<'_> {
        Update {
            origins: self,
            by: None,
            tenant: None,
        }
    }
}

/// A change to a [`RuntimeOrigins`] list, from [`RuntimeOrigins::update`].
#[derive(Debug, Clone, Copy)]
#[must_use = "an update does nothing until `replace`, `add`, `remove`, ... is called"]
pub struct Update<'a> {
    origins: &'a RuntimeOrigins,
    by: Option<&'a str>,
    tenant: Option<&'a str>,
}

impl<'a> Update<'a> {
    /// Who makes the change, for the audit log ([`Change::by`]).
    pub fn by(self, who: &'a str) -> Self {
        Self {
            by: Some(who),
            ..self
        }
    }

    /// The tenant whose list changes, for a per-tenant list: its host (lower case, no port) for
    /// [`RuntimeOrigins::per_host`], its path parameter's value for
    /// [`RuntimeOrigins::per_path_param`].
    pub fn tenant(self, tenant: &'a str) -> Self {
        Self {
            tenant: Some(tenant),
            ..self
        }
    }

    /// Replaces the whole list (or the tenant's) with `origins`, checked as
    /// [`RuntimeOrigins::set`] checks them. Works before the list is set, too.
    ///
    /// # Errors
    ///
    /// Every bad entry, as `set`; an empty list; a tenant on a shared list or none on a
    /// per-tenant list. The list in force is then unchanged.
    pub fn replace<I, S>(self, origins: I) -> Result<Change, OriginListError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries: Vec<S> = origins.into_iter().collect();
        let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        self.replace_entries(&entries, Source::Entries)
    }

    /// [`replace`](Self::replace) with the origins of one string, separated by commas and/or
    /// white space, as [`RuntimeOrigins::set_from_str`] reads them.
    ///
    /// # Errors
    ///
    /// As [`replace`](Self::replace).
    pub fn replace_from_str(self, list: &str) -> Result<Change, OriginListError> {
        self.replace_entries(&split(list), Source::String)
    }

    fn replace_entries(self, entries: &[&str], source: Source) -> Result<Change, OriginListError> {
        self.apply(Action::Replace, |_| {
            self.origins
                .check_entries(entries, source, false)?
                .lay_out(self.tenant)
        })
    }

    /// Adds `origins` to the list in force (a tenant without a list gets one), each checked as
    /// `set` checks it.
    ///
    /// # Errors
    ///
    /// Every bad entry, as `set`, and every entry already in the list, each with its index in
    /// `origins`. The list in force is then unchanged.
    #[allow(clippy::should_implement_trait)] // `add` entries to a list: no `+` to be had
    pub fn add<I, S>(self, origins: I) -> Result<Change, OriginListError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries: Vec<S> = origins.into_iter().collect();
        let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        self.apply(Action::Add, |old| {
            let checked = self
                .origins
                .check_entries(&entries, Source::Entries, false)?;
            let mut problems = Vec::new();
            if let Some(old) = old {
                for (index, entry) in checked.entries().enumerate() {
                    let text = Lists::entry_text(&entry);
                    if old.contains_entry(&text) {
                        problems.push(problem(
                            index,
                            entries[index],
                            format!("`{text}` is already in the list"),
                            "leave it out",
                        ));
                    }
                }
            }
            refuse_if_any(problems)?;
            let base = old.map_or(0, Lists::len);
            let mut not_for_credentials: Vec<OriginListProblem> = old
                .map(|o| o.not_for_credentials.clone())
                .unwrap_or_default();
            not_for_credentials.extend(checked.not_for_credentials.iter().cloned().map(|mut p| {
                p.index = p.index.map(|i| i + base);
                p
            }));
            name_tenant(&mut not_for_credentials, self.tenant);
            let kept = old.into_iter().flat_map(Lists::each);
            Lists::build(kept.chain(checked.entries()), not_for_credentials).ok_or_else(too_large)
        })
    }

    /// Removes `origins` (in canonical form, as [`OriginList::entries`] gives them) from the
    /// list in force. The list may become empty: it then allows no cross-origin request.
    ///
    /// # Errors
    ///
    /// Every entry that is not in the list, with its index in `origins`. The list in force is
    /// then unchanged.
    ///
    /// [`OriginList::entries`]: super::OriginList::entries
    pub fn remove<I, S>(self, origins: I) -> Result<Change, OriginListError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries: Vec<S> = origins.into_iter().collect();
        let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        self.apply(Action::Remove, |old| {
            let empty = Lists::default();
            let old = old.unwrap_or(&empty);
            let problems: Vec<OriginListProblem> = entries
                .iter()
                .enumerate()
                .filter(|(_, entry)| !old.contains_entry(entry))
                .map(|(index, entry)| {
                    problem(
                        index,
                        entry,
                        format!("`{entry}` is not in the list"),
                        "name an entry as `entries()` lists it",
                    )
                })
                .collect();
            refuse_if_any(problems)?;
            let gone: HashSet<&str> = entries.iter().copied().collect();
            let kept = old
                .each()
                .filter(|entry| !gone.contains(Lists::entry_text(entry).as_str()));
            let not_for_credentials = old
                .not_for_credentials
                .iter()
                .filter(|p| !gone.contains(p.entry.as_str()))
                .cloned()
                .collect();
            Lists::build(kept, not_for_credentials).ok_or_else(too_large)
        })
    }

    /// Removes the tenant's list: its requests are refused from now on.
    ///
    /// # Errors
    ///
    /// A shared list, no tenant named, or a tenant without a list.
    pub fn remove_tenant(self) -> Result<Change, OriginListError> {
        self.edit(Action::RemoveTenant, |old| match old {
            Some(_) => Ok(None),
            None => Err(OriginListError {
                problems: vec![OriginListProblem::list("this tenant has no list")],
            }),
        })
    }

    /// Checks which list the update is for, then runs `make` on the list in force (the shared
    /// one, or the tenant's) for the new one.
    fn apply(
        self,
        action: Action,
        make: impl FnOnce(Option<&Lists>) -> Result<Lists, OriginListError>,
    ) -> Result<Change, OriginListError> {
        self.edit(action, |old| make(old).map(Some))
    }

    /// [`apply`](Self::apply), where `make` may also drop a tenant's list (`Ok(None)`).
    fn edit(
        self,
        action: Action,
        make: impl FnOnce(Option<&Lists>) -> Result<Option<Lists>, OriginListError>,
    ) -> Result<Change, OriginListError> {
        let origins = self.origins;
        let _writer = origins.lock_writer();
        let current = origins.state.load_full();
        let old = match (current.as_deref(), self.tenant) {
            (Some(State::Shared(lists)), None) => Some(lists.as_ref()),
            (Some(State::Tenants(map)), Some(tenant)) => map.get(tenant).map(AsRef::as_ref),
            _ => None,
        };
        let result = self.which_list().and_then(|()| make(old));
        let mut change = Change {
            by: self.by.map(str::to_owned),
            tenant: self.tenant.map(str::to_owned),
            action,
            added: Vec::new(),
            removed: Vec::new(),
            len: old.map_or(0, Lists::len),
            rejected: None,
        };
        let new = match result {
            Ok(new) => new,
            Err(mut error) => {
                name_tenant(&mut error.problems, self.tenant);
                change.rejected = Some(error.clone());
                origins.report(&change);
                return Err(error);
            }
        };
        (change.added, change.removed) = diff(old, new.as_ref());
        change.len = new.as_ref().map_or(0, Lists::len);
        let state = match (current.as_deref(), self.tenant) {
            (_, None) => State::Shared(Arc::new(new.unwrap_or_default())),
            (current, Some(tenant)) => {
                let mut map = match current {
                    Some(State::Tenants(map)) => map.clone(),
                    _ => HashMap::new(),
                };
                match new {
                    Some(new) => {
                        map.insert(tenant.into(), Arc::new(new));
                    }
                    None => {
                        map.remove(tenant);
                    }
                }
                State::Tenants(map)
            }
        };
        origins.state.store(Some(Arc::new(state)));
        origins.report(&change);
        Ok(change)
    }

    /// Whether the update names a tenant exactly when the list is kept per tenant, and a good one.
    fn which_list(&self) -> Result<(), OriginListError> {
        let problem = match (self.origins.tenancy, self.tenant) {
            (Tenancy::Shared, None) => return Ok(()),
            (Tenancy::Shared, Some(_)) => OriginListProblem::list(
                "this list is one for every request: it has no tenants (build it with `RuntimeOrigins::per_host()` or `per_path_param(..)` for a list per tenant)",
            ),
            (_, None) => OriginListProblem::list(
                "this list is kept per tenant: name the tenant, `update().tenant(..)`",
            ),
            (tenancy, Some(tenant)) => match check_tenant(tenancy, tenant) {
                None => return Ok(()),
                Some(why) => OriginListProblem::list(&why),
            },
        };
        Err(OriginListError {
            problems: vec![problem],
        })
    }
}

/// What `new` has that `old` has not, and the other way round.
fn diff(old: Option<&Lists>, new: Option<&Lists>) -> (Vec<String>, Vec<String>) {
    let missing_from = |a: Option<&Lists>, b: Option<&Lists>| -> Vec<String> {
        a.into_iter()
            .flat_map(Lists::each)
            .map(|entry| Lists::entry_text(&entry))
            .filter(|text| !b.is_some_and(|b| b.contains_entry(text)))
            .collect()
    };
    (missing_from(new, old), missing_from(old, new))
}

/// The problem of entry `index` of `origins`, `entry` as given: `message`, and `hint` for the
/// way out.
fn problem(index: usize, entry: &str, message: String, hint: &str) -> OriginListProblem {
    let error = OriginError {
        message,
        suggestion: None,
        hint: Some(hint.to_owned()),
    };
    OriginListProblem::entry(index, entry, error)
}

mod tenants;
