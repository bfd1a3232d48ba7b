//! Replacing every tenant's list at once (feature `rules`): [`Update::replace_tenants`], what a
//! reload from a database does. Every tenant and its list is checked before anything changes;
//! then the lists in force are replaced in one atomic store.

use std::collections::HashMap;
use std::sync::Arc;

use super::super::check::{Source, name_tenant, refuse_if_any};
use super::super::key::check_tenant;
use super::super::list::Lists;
use super::super::{Action, Change, RuntimeOrigins, State, Tenancy};
use super::{Update, diff};
use crate::error::{OriginListError, OriginListProblem};

/// Each tenant's list, by tenant: what a per-tenant list holds.
type TenantLists = HashMap<Box<str>, Arc<Lists>>;

impl Update<'_> {
    /// Replaces every tenant's list at once (a per-tenant list only): what a reload from a
    /// database does. Tenants not in `tenants` lose their list; a tenant given an empty list
    /// keeps one that allows no origin. Each list is checked as `set` checks it, and every
    /// problem of every tenant is reported, naming its tenant.
    ///
    /// The change hook is told once per tenant whose list changed; the changes come back in
    /// tenant order.
    ///
    /// # Errors
    ///
    /// Every bad entry and bad tenant name; a shared list. The lists in force are then
    /// unchanged.
    pub fn replace_tenants<I, T, L, S>(self, tenants: I) -> Result<Vec<Change>, OriginListError>
    where
        I: IntoIterator<Item = (T, L)>,
        T: AsRef<str>,
        L: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let origins = self.origins;
        let _writer = origins.lock_writer();
        let current = origins.state.load_full();
        let old_map = match current.as_deref() {
            Some(State::Tenants(map)) => Some(map),
            _ => None,
        };
        let map = match origins.check_tenants(tenants) {
            Ok(map) => map,
            Err(error) => return Err(self.reject(old_map, error)),
        };
        let changes = self.tenant_changes(old_map, &map);
        origins.state.store(Some(Arc::new(State::Tenants(map))));
        for change in &changes {
            origins.report(change);
        }
        Ok(changes)
    }

    /// Tells the change hook that the reload was rejected, with the lists in force (`old_map`)
    /// unchanged, and hands `error` back.
    fn reject(self, old_map: Option<&TenantLists>, error: OriginListError) -> OriginListError {
        self.origins.report(&Change {
            by: self.by.map(str::to_owned),
            tenant: None,
            action: Action::Replace,
            added: Vec::new(),
            removed: Vec::new(),
            len: old_map.map_or(0, |m| m.values().map(|l| l.len()).sum()),
            rejected: Some(error.clone()),
        });
        error
    }

    /// The change of every tenant whose list differs between `old_map` and `map`, in tenant
    /// order.
    fn tenant_changes(self, old_map: Option<&TenantLists>, map: &TenantLists) -> Vec<Change> {
        tenant_names(old_map, map)
            .into_iter()
            .filter_map(|tenant| {
                let old = old_map.and_then(|m| m.get(tenant)).map(AsRef::as_ref);
                let new = map.get(tenant).map(AsRef::as_ref);
                self.tenant_change(tenant, old, new)
            })
            .collect()
    }

    /// What replacing `tenant`'s list `old` with `new` does (`None` for no list there): a
    /// replacement, or the tenant's removal; `None` when nothing changes.
    fn tenant_change(
        self,
        tenant: &str,
        old: Option<&Lists>,
        new: Option<&Lists>,
    ) -> Option<Change> {
        let (added, removed) = diff(old, new);
        if added.is_empty() && removed.is_empty() && old.is_some() == new.is_some() {
            return None;
        }
        Some(Change {
            by: self.by.map(str::to_owned),
            tenant: Some(tenant.to_owned()),
            action: if new.is_some() {
                Action::Replace
            } else {
                Action::RemoveTenant
            },
            added,
            removed,
            len: new.map_or(0, Lists::len),
            rejected: None,
        })
    }
}

impl RuntimeOrigins {
    /// Checks every tenant's name and list: the lists by tenant, or every problem of every
    /// tenant, each naming its tenant (and one for a shared list, which has no tenants).
    fn check_tenants<I, T, L, S>(&self, tenants: I) -> Result<TenantLists, OriginListError>
    where
        I: IntoIterator<Item = (T, L)>,
        T: AsRef<str>,
        L: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut problems = Vec::new();
        let mut map = TenantLists::new();
        if self.tenancy == Tenancy::Shared {
            problems.push(OriginListProblem::list(
                "this list is one for every request: `replace_tenants` is for a list built with `RuntimeOrigins::per_host()` or `per_path_param(..)`",
            ));
        }
        for (tenant, list) in tenants {
            let tenant = tenant.as_ref();
            let entries: Vec<S> = list.into_iter().collect();
            let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
            match self.check_tenant_list(tenant, &entries, &map) {
                Ok(lists) => {
                    map.insert(tenant.into(), Arc::new(lists));
                }
                Err(mut tenant_problems) => {
                    name_tenant(&mut tenant_problems, Some(tenant));
                    problems.extend(tenant_problems);
                }
            }
        }
        refuse_if_any(problems)?;
        Ok(map)
    }

    /// Checks one tenant's name, that `map` (the tenants before it) does not hold it already,
    /// and its `entries`: its list, or its problems.
    fn check_tenant_list(
        &self,
        tenant: &str,
        entries: &[&str],
        map: &TenantLists,
    ) -> Result<Lists, Vec<OriginListProblem>> {
        if let Some(why) = check_tenant(self.tenancy, tenant) {
            return Err(vec![OriginListProblem::list(&why)]);
        }
        if map.contains_key(tenant) {
            return Err(vec![OriginListProblem::list("this tenant is given twice")]);
        }
        self.check_entries(entries, Source::Entries, true)
            .and_then(|checked| checked.lay_out(Some(tenant)))
            .map_err(|e| e.problems)
    }
}

/// Every tenant of `old_map` and of `map`, once each, sorted.
fn tenant_names<'m>(old_map: Option<&'m TenantLists>, map: &'m TenantLists) -> Vec<&'m str> {
    let mut names: Vec<&str> = map.keys().map(AsRef::as_ref).collect();
    if let Some(old) = old_map {
        names.extend(
            old.keys()
                .map(AsRef::as_ref)
                .filter(|t| !map.contains_key(*t)),
        );
    }
    names.sort_unstable();
    names
}
