//! [`CorsRoute`]: a policy bound to one route, with every response header value that does not
//! depend on the request built at compile time. What it answers is in `preflight` (a preflight)
//! and `actual` (any other request); what it logs, in `logging`.

use actix_web::dev::ServiceRequest;
use actix_web::http::header::HeaderValue;

use super::response::ANY;
use crate::policy::{Origins, Policy};

const fn header_value(text: Option<&'static str>) -> Option<HeaderValue> {
    match text {
        Some(text) => Some(HeaderValue::from_static(text)),
        None => None,
    }
}

/// A [`Policy`] bound to one route: its handler's name and path (for log lines), its methods
/// (the ones its preflights may ask for), and every response header value that does not depend
/// on the request, built at compile time.
///
/// `#[cors]` emits one `static CorsRoute` per resource it registers.
#[derive(Debug, Clone)]
pub struct CorsRoute {
    pub(super) policy: Policy,
    pub(super) name: &'static str,
    pub(super) path: &'static str,
    pub(super) methods: &'static [&'static str],
    pub(super) allow_methods: HeaderValue,
    pub(super) allow_headers: Option<HeaderValue>,
    pub(super) expose_headers: Option<HeaderValue>,
    pub(super) max_age: Option<HeaderValue>,
    /// Log lines show the request's path rather than `path` (a scope-wide policy has none).
    pub(super) log_request_path: bool,
}

impl CorsRoute {
    /// Binds `policy` to the route `name` at `path`, answering preflights for `methods`.
    /// `allow_methods` is `methods` joined with `", "`.
    #[doc(hidden)]
    pub const fn __new(
        policy: Policy,
        name: &'static str,
        path: &'static str,
        methods: &'static [&'static str],
        allow_methods: &'static str,
    ) -> Self {
        Self {
            name,
            path,
            methods,
            allow_methods: HeaderValue::from_static(allow_methods),
            allow_headers: header_value(policy.allow_headers_value()),
            expose_headers: header_value(policy.expose_headers()),
            max_age: header_value(policy.max_age_value()),
            log_request_path: false,
            policy,
        }
    }

    /// A scope-wide binding of `policy` (see [`ScopeCors`](super::ScopeCors)): its preflight
    /// answers allow `GET` and `HEAD`, and log lines show the request's path.
    pub(crate) const fn scope(policy: Policy) -> Self {
        let mut route = Self::__new(policy, "ScopeCors", "", &["GET", "HEAD"], "GET, HEAD");
        route.log_request_path = true;
        route
    }

    /// The policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The handler's name, as log lines show it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The route's path pattern.
    pub const fn path(&self) -> &'static str {
        self.path
    }

    /// The route's methods: the ones its preflights may ask for.
    pub const fn methods(&self) -> &'static [&'static str] {
        self.methods
    }

    /// Whether a preflight asking for `method` (the `Access-Control-Request-Method` bytes) is
    /// this route's to answer: one of its methods, in any case, so that a `patch` meant for
    /// `PATCH` gets an answer that says why it fails.
    pub(crate) fn answers_method(&self, method: &[u8]) -> bool {
        self.methods
            .iter()
            .any(|m| m.as_bytes() == method || m.as_bytes().eq_ignore_ascii_case(method))
    }

    /// `Access-Control-Allow-Origin` for an allowed `origin`: `*` or the origin itself.
    pub(crate) fn allow_origin(&self, origin: &HeaderValue) -> HeaderValue {
        match self.policy.origins() {
            Origins::Any => ANY.clone(),
            _ => origin.clone(),
        }
    }

    /// The path log lines show: the route's pattern, or the request's path for a scope.
    pub(crate) fn log_path<'r>(&self, req: &'r ServiceRequest) -> &'r str {
        if self.log_request_path {
            req.path()
        } else {
            self.path
        }
    }
}
