//! Origins supplied at run time: from an environment variable, a configuration file, a
//! database. They are checked with the very rules `#[cors]` applies at compile time, at
//! start-up and whenever the list is replaced while serving.
//!
//! This file holds the list and what a request reads of it; the layout one request reads is in
//! `list`, checking entries in `check` and setting in `set` (feature `rules`), changes while
//! serving in `update` (feature `rules`), the tenant a request names in `key`, a list for one
//! thread's tests in `this_thread` (feature `testing`).

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

use arc_swap::ArcSwapOption;

mod change;
#[cfg(feature = "rules")]
mod check;
mod key;
mod list;
#[cfg(feature = "rules")]
mod set;
#[cfg(feature = "testing")]
mod this_thread;
#[cfg(feature = "rules")]
mod update;

pub use change::{Action, Change};
pub use key::TenantKey;
pub use list::OriginList;
#[cfg(feature = "testing")]
pub use this_thread::ThisThread;
#[cfg(feature = "rules")]
pub use update::Update;

use list::Lists;

/// A list of allowed origins supplied at run time, for routes annotated with
/// `#[cors(origins = runtime(NAME))]`: set at start-up from configuration, and replaced while
/// serving (a tenant added in the product takes effect at once, without a restart).
///
/// Declare it as a `static`, call `set` (or `set_from_str`) before building the server, and stop
/// if it fails: the error lists every bad entry with its fix. Until it is set, every
/// cross-origin request to the routes using it is refused, and the first such route to be
/// registered logs an error naming the list. A deployment that allows no cross-origin request
/// says so with [`set_none`](Self::set_none): an empty list is an error for `set` (an empty
/// environment variable is more often a mistake than a decision), and a list never set logs
/// one.
///
/// # Changing the list while serving
///
/// [`update`](Self::update) replaces the whole list, adds or removes entries, checked with the
/// same rules and reported the same way as `set`; a rejected update changes nothing and lists
/// every bad entry. A change is atomic: a request reads the list once (one atomic load, no lock,
/// no allocation) and sees the old list or the new one, never a mix. [`on_change`](Self::on_change)
/// tells an audit log who changed what. `set` stays the start-up call and refuses a second one
/// (two start-up sources for one list is a mistake worth stopping for); later changes go through
/// `update`.
///
/// # One list per tenant
///
/// [`per_host`](Self::per_host) and [`per_path_param`](Self::per_path_param) make a list per
/// tenant, chosen by what the request carries (its `Host`, or a path parameter such as `{tenant}`
/// in `/t/{tenant}/items`): a tenant's origins never read another tenant's routes, which one
/// union of every tenant's origins would allow. The attribute is the same
/// (`origins = runtime(NAME)`); a request whose tenant has no list is refused.
///
/// # Rules
///
/// One rule set, applied to the same policy as in `#[cors(origins = [...])]`: every entry is
/// checked with the rules of an origin, and `"*"` is refused (write `origins = "*"` in the
/// attribute for that), so a route only ever reflects an origin that matches the checked list.
/// The credentials rules (no plain `http://` origin other than loopback unless the list is built
/// with [`allowing_insecure_http_credentials`](Self::allowing_insecure_http_credentials), no
/// subdomain pattern over a public suffix) apply where the route using the list has
/// `credentials`: such a route never reflects an entry that fails them, and logs an error naming
/// each one when it is registered. A route without `credentials` allows them.
///
/// Checking needs the `rules` feature of this crate, which `route-cors` turns on; matching
/// requests costs what a compile-time list costs: no allocation, no lock (one atomic load).
pub struct RuntimeOrigins {
    state: ArcSwapOption<State>,
    tenancy: Tenancy,
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    insecure_http: bool,
    /// Held by every change, so that an edit reads and replaces the list in force with nothing
    /// in between. Never taken by a request.
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    writer: Mutex<()>,
    /// Told of every change and every rejected one.
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    hook: OnceLock<Hook>,
    /// A route found the list unset (logged once).
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    unset_reported: AtomicBool,
    /// A route with credentials found entries it refuses (logged once).
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    credentials_reported: AtomicBool,
}

type Hook = Box<dyn Fn(&Change) + Send + Sync>;

/// What the request names its list by, if anything: how a [`RuntimeOrigins`] was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tenancy {
    /// One list for every request ([`RuntimeOrigins::new`]).
    Shared,
    /// A list per host: the request's `Host` header, lower case, without its port
    /// ([`RuntimeOrigins::per_host`]).
    Host,
    /// A list per value of this path parameter ([`RuntimeOrigins::per_path_param`]).
    PathParam(&'static str),
}

/// The lists in force: what one atomic load hands a request.
#[derive(Debug)]
#[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by `set` and `update`
enum State {
    /// The one list of a [`Tenancy::Shared`] list.
    Shared(Arc<Lists>),
    /// Each tenant's list.
    Tenants(HashMap<Box<str>, Arc<Lists>>),
}

impl RuntimeOrigins {
    const fn with(tenancy: Tenancy, insecure_http: bool) -> Self {
        Self {
            state: ArcSwapOption::const_empty(),
            tenancy,
            insecure_http,
            writer: Mutex::new(()),
            hook: OnceLock::new(),
            unset_reported: AtomicBool::new(false),
            credentials_reported: AtomicBool::new(false),
        }
    }

    /// An empty list, to `set` at start-up.
    pub const fn new() -> Self {
        Self::with(Tenancy::Shared, false)
    }

    /// **Dangerous.** Like [`new`](Self::new), but plain `http://` origins are accepted for
    /// routes with credentials: anyone on the network path between the browser and those
    /// origins can read and forge the user's credentialed requests. For closed networks only.
    #[doc(alias = "insecure_http_credentials")]
    pub const fn allowing_insecure_http_credentials() -> Self {
        Self::with(Tenancy::Shared, true)
    }

    /// A list per tenant, chosen by the request's host: the `Host` header (or, in HTTP/2, the
    /// URI's authority), lower case, without its port and trailing dot, e.g.
    /// `acme.api.example.com`. Headers a proxy adds (`X-Forwarded-Host`, `Forwarded`) are not
    /// read: a page can set them on its own request, and so pick another tenant's list.
    ///
    /// Set each tenant's list with [`update`](Self::update)`().tenant(host)`, or all of them at
    /// once with [`Update::replace_tenants`]; a request to a host with no list is refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use cors_runtime::runtime_origins::RuntimeOrigins;
    ///
    /// static TENANTS: RuntimeOrigins = RuntimeOrigins::per_host();
    ///
    /// TENANTS.update().tenant("acme.api.example.com").replace(["https://app.acme.com"])?;
    /// assert!(TENANTS.tenant("acme.api.example.com").unwrap().allows(b"https://app.acme.com", true));
    /// assert!(TENANTS.tenant("other.api.example.com").is_none());
    /// # Ok::<(), cors_runtime::error::OriginListError>(())
    /// ```
    pub const fn per_host() -> Self {
        Self::with(Tenancy::Host, false)
    }

    /// A list per tenant, chosen by the path parameter `name` of the route the request matched:
    /// `per_path_param("tenant")` for routes such as `/t/{tenant}/items`. A route without that
    /// parameter refuses every cross-origin request.
    ///
    /// Set each tenant's list with [`update`](Self::update)`().tenant(id)`; a request naming a
    /// tenant with no list is refused.
    pub const fn per_path_param(name: &'static str) -> Self {
        Self::with(Tenancy::PathParam(name), false)
    }

    /// **Dangerous.** A list kept as `tenancy` says, with plain `http://` origins accepted for
    /// routes with credentials, as
    /// [`allowing_insecure_http_credentials`](Self::allowing_insecure_http_credentials) does
    /// for a shared list: `allowing_insecure_http_credentials_per(Tenancy::Host)`.
    pub const fn allowing_insecure_http_credentials_per(tenancy: Tenancy) -> Self {
        Self::with(tenancy, true)
    }

    /// What the request names its list by.
    pub const fn tenancy(&self) -> Tenancy {
        self.tenancy
    }

    /// The list in force, once set: `None` before, and for a per-tenant list (see
    /// [`tenant`](Self::tenant)).
    pub fn get(&self) -> Option<OriginList> {
        match self.state.load().as_deref() {
            Some(State::Shared(lists)) => Some(OriginList(Arc::clone(lists))),
            _ => None,
        }
    }

    /// The list in force for `tenant`, if it has one.
    pub fn tenant(&self, tenant: &str) -> Option<OriginList> {
        match self.state.load().as_deref() {
            Some(State::Tenants(map)) => map.get(tenant).map(|l| OriginList(Arc::clone(l))),
            _ => None,
        }
    }

    /// The tenants that have a list, sorted.
    pub fn tenants(&self) -> Vec<String> {
        let mut tenants: Vec<String> = match self.state.load().as_deref() {
            Some(State::Tenants(map)) => map.keys().map(ToString::to_string).collect(),
            _ => Vec::new(),
        };
        tenants.sort_unstable();
        tenants
    }

    /// Whether the list is set (for a per-tenant list: whether tenants were set, even none).
    pub fn is_set(&self) -> bool {
        #[cfg(feature = "testing")]
        if this_thread::is_set(self) {
            return true;
        }
        self.state.load().is_some()
    }

    /// Whether `origin` (the `Origin` header's bytes) is allowed for a route with or without
    /// `credentials`: `false` until the list is set, and always for a per-tenant list, which
    /// needs the request ([`allows_in`](Self::allows_in)). No allocation.
    pub fn allows(&self, origin: &[u8], credentials: bool) -> bool {
        self.allows_in(origin, credentials, &key::NoRequest)
    }

    /// Whether `origin` is allowed for a route with or without `credentials`, for the request
    /// `request`, which names the tenant of a per-tenant list. One atomic load, no lock, no
    /// allocation.
    pub fn allows_in(&self, origin: &[u8], credentials: bool, request: &dyn TenantKey) -> bool {
        #[cfg(feature = "testing")]
        if let Some(allowed) = this_thread::allows(self, origin, credentials) {
            return allowed;
        }
        let state = self.state.load();
        match state.as_deref() {
            None => false,
            Some(State::Shared(lists)) => lists.allows(origin, credentials),
            Some(State::Tenants(map)) => key::with_key(self.tenancy, request, |tenant| {
                map.get(tenant)
                    .is_some_and(|lists| lists.allows(origin, credentials))
            }),
        }
    }

    /// Whether the list was set empty on purpose, with [`set_none`](Self::set_none).
    #[cfg(feature = "actix")]
    pub(crate) fn is_set_none(&self) -> bool {
        matches!(self.state.load().as_deref(), Some(State::Shared(lists)) if lists.none)
    }

    /// Called when a route using the list named `name` is registered: says once, at `error`
    /// level, that the list was never set, or which entries a route with credentials refuses;
    /// at `info`, that it was set empty on purpose.
    #[cfg(feature = "actix")]
    #[doc(hidden)]
    pub fn __route_registered(&self, name: &str, route: &str, credentials: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        #[cfg(feature = "testing")]
        if this_thread::is_set(self) {
            return;
        }
        let state = self.state.load_full();
        let shared = match state.as_deref() {
            Some(State::Shared(lists)) => Some(lists),
            _ => None,
        };
        match (&state, shared) {
            (None, _) if !self.unset_reported.swap(true, Relaxed) => log::error!(
                target: "route_cors",
                "the run-time origin list `{name}` used by `{route}` is not set: every cross-origin request to it is refused until `{name}.set(...)` succeeds; set it before building the server",
            ),
            (_, Some(lists)) if lists.none && !self.unset_reported.swap(true, Relaxed) => {
                log::info!(
                    target: "route_cors",
                    "the run-time origin list `{name}` used by `{route}` is set empty on purpose (`set_none`): it allows no cross-origin request",
                );
            }
            (_, Some(lists))
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

/// The tenancy and the lists in force, not the lock or the hook.
impl core::fmt::Debug for RuntimeOrigins {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RuntimeOrigins")
            .field("tenancy", &self.tenancy)
            .field("insecure_http", &self.insecure_http)
            .field("state", &self.state.load().as_deref())
            .field("hook", &self.hook.get().is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_list_allows_nothing() {
        let unset = RuntimeOrigins::new();
        assert!(!unset.is_set() && unset.get().is_none());
        assert!(!unset.allows(b"https://app.example.com", false));
        let tenants = RuntimeOrigins::per_host();
        assert_eq!(tenants.tenancy(), Tenancy::Host);
        assert!(tenants.tenants().is_empty());
        assert!(!tenants.allows(b"https://app.example.com", false));
        let insecure =
            RuntimeOrigins::allowing_insecure_http_credentials_per(Tenancy::PathParam("tenant"));
        assert!(insecure.insecure_http);
        assert_eq!(insecure.tenancy(), Tenancy::PathParam("tenant"));
    }
}
