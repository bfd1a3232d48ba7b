//! Origins supplied at run time: from an environment variable, a configuration file, a secret
//! store. They are checked at start-up with the very rules `#[cors]` applies at compile time.
//!
//! This file holds the list and what a request reads of it; checking and setting it is in `set`
//! (feature `rules`), a list for one thread's tests in `this_thread` (feature `testing`).

use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use crate::error::OriginListProblem;
use crate::origin::OriginSet;

#[cfg(feature = "rules")]
mod set;
#[cfg(feature = "testing")]
mod this_thread;

#[cfg(feature = "testing")]
pub use this_thread::ThisThread;

/// A list of allowed origins set once, at start-up, from configuration, for routes annotated
/// with `#[cors(origins = runtime(NAME))]`.
///
/// Declare it as a `static`, call `set` (or `set_from_str`) before building the server, and stop
/// if it fails: the error lists every bad entry with its fix. Until it is set, every
/// cross-origin request to the routes using it is refused, and the first such route to be
/// registered logs an error naming the list. A deployment that allows no cross-origin request
/// says so with [`set_none`](Self::set_none): an empty list is an error for `set` (an empty
/// environment variable is more often a mistake than a decision), and a list never set logs
/// one.
///
/// One rule set, applied to the same policy as in `#[cors(origins = [...])]`: every entry is
/// checked with the rules of an origin, and `"*"` is refused (write `origins = "*"` in the
/// attribute for that), so a route only ever reflects an origin that matches the checked list.
/// The credentials rules (no plain `http://` origin other than loopback unless the list is built
/// with [`allowing_insecure_http_credentials`](Self::allowing_insecure_http_credentials), no
/// subdomain pattern over a public suffix) apply where the route using the list has `credentials`: such a route
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
    /// Set empty on purpose, by [`RuntimeOrigins::set_none`].
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    none: bool,
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
    #[doc(alias = "insecure_http_credentials")]
    pub const fn allowing_insecure_http_credentials() -> Self {
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

    /// Whether the list was set empty on purpose, with [`set_none`](Self::set_none).
    #[cfg(feature = "actix")]
    pub(crate) fn is_set_none(&self) -> bool {
        self.lists.get().is_some_and(|lists| lists.none)
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
        match self.lists.get() {
            None if !self.unset_reported.swap(true, Relaxed) => log::error!(
                target: "route_cors",
                "the run-time origin list `{name}` used by `{route}` is not set: every cross-origin request to it is refused until `{name}.set(...)` succeeds; set it before building the server",
            ),
            Some(lists) if lists.none && !self.unset_reported.swap(true, Relaxed) => log::info!(
                target: "route_cors",
                "the run-time origin list `{name}` used by `{route}` is set empty on purpose (`set_none`): it allows no cross-origin request",
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
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_with_credentials_reads_the_credentialed_set() {
        let lists = Lists {
            all: OriginSet::__new(
                &["https://app.example.com", "http://intranet.example.com"],
                &[],
            ),
            credentialed: OriginSet::__new(&["https://app.example.com", ""], &[]),
            not_for_credentials: Vec::new(),
            none: false,
        };
        assert!(lists.allows(b"http://intranet.example.com", false));
        assert!(!lists.allows(b"http://intranet.example.com", true));
        assert!(lists.allows(b"https://app.example.com", true));
        let unset = RuntimeOrigins::new();
        assert!(!unset.is_set() && unset.get().is_none());
        assert!(!unset.allows(b"https://app.example.com", false));
    }
}
