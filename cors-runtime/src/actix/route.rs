//! [`CorsRoute`]: a policy bound to one route, with every response header value that does not
//! depend on the request built at compile time. What it answers is in `preflight` (a preflight)
//! and `actual` (any other request); what it logs, in `logging`.

use actix_web::guard::GuardContext;
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
    /// Log lines show the request's path too (a scope-wide policy has no path of its own).
    pub(super) log_request_path: bool,
    /// The route attribute's `guard = ...` functions, in order.
    pub(super) guards: &'static [GuardFn],
    /// `preflights_skip_guards`: a preflight is answered whatever `guards` say.
    pub(super) preflights_skip_guards: bool,
}

/// A route guard as the route attribute names it (`guard = "is_json"`): a function of the
/// request's [`GuardContext`].
pub type GuardFn = for<'a, 'b> fn(&'a GuardContext<'b>) -> bool;

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
            guards: &[],
            preflights_skip_guards: false,
            policy,
        }
    }

    /// The route's own guards (`guard = ...`, in order), which its requests and, unless
    /// `preflights_skip_guards`, its preflights must pass.
    #[doc(hidden)]
    #[must_use]
    pub const fn __guards(
        mut self,
        guards: &'static [GuardFn],
        preflights_skip_guards: bool,
    ) -> Self {
        self.guards = guards;
        self.preflights_skip_guards = preflights_skip_guards;
        self
    }

    /// A scope-wide binding of `policy` (see [`ScopeCors`](super::ScopeCors)): its preflight
    /// answers allow `GET` and `HEAD`, and log lines show the request's path too.
    pub(crate) const fn scope_wide(policy: Policy) -> Self {
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

    /// Whether the route's own guards let the request in.
    pub(crate) fn guards_pass(&self, ctx: &GuardContext<'_>) -> bool {
        self.guards.iter().all(|guard| guard(ctx))
    }

    /// Whether a preflight asking for `method` is this route's to answer: one of its methods
    /// (see [`answers_method`](Self::answers_method)), and its guards pass unless preflights
    /// skip them. The resource guard and [`ScopeCors`](super::ScopeCors)'s table both ask this.
    pub(crate) fn takes_preflight(&self, ctx: &GuardContext<'_>, method: &[u8]) -> bool {
        self.answers_method(method) && (self.preflights_skip_guards || self.guards_pass(ctx))
    }

    /// `Access-Control-Allow-Origin` for an allowed `origin`: `*` or the origin itself.
    pub(crate) fn allow_origin(&self, origin: &HeaderValue) -> HeaderValue {
        match self.policy.origins() {
            Origins::Any => ANY.clone(),
            _ => origin.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headers::AllowHeaders;
    use crate::origin::OriginSet;

    const APP: &str = "https://app.example.com";

    const fn policy(origins: Origins, max_age: Option<&'static str>) -> Policy {
        Policy::__from_parts(
            origins,
            AllowHeaders::List(&["content-type", "x-api-key"]),
            Some("content-type, x-api-key"),
            Some("x-request-id"),
            false,
            max_age,
            false,
        )
    }

    static LISTED: CorsRoute = CorsRoute::__new(
        policy(Origins::Set(OriginSet::__new(&[APP, ""], &[])), Some("600")),
        "update_item",
        "/items/{id}",
        &["PUT", "PATCH"],
        "PUT, PATCH",
    );

    #[test]
    fn header_values_are_the_policys_text_built_once() {
        assert_eq!(LISTED.allow_methods, "PUT, PATCH");
        assert_eq!(
            LISTED.allow_headers.as_ref().unwrap(),
            "content-type, x-api-key"
        );
        assert_eq!(LISTED.expose_headers.as_ref().unwrap(), "x-request-id");
        assert_eq!(LISTED.max_age.as_ref().unwrap(), "600");
        let bare = CorsRoute::__new(
            Policy::__from_parts(
                Origins::Any,
                AllowHeaders::None,
                None,
                None,
                false,
                None,
                false,
            ),
            "f",
            "/",
            &["GET"],
            "GET",
        );
        assert!(bare.allow_headers.is_none() && bare.expose_headers.is_none());
        assert!(bare.max_age.is_none());
    }

    #[test]
    fn a_route_answers_preflights_for_its_methods_in_any_case() {
        for yes in [&b"PUT"[..], b"PATCH", b"patch", b"Put"] {
            assert!(LISTED.answers_method(yes), "{}", yes.escape_ascii());
        }
        for no in [&b"GET"[..], b"POST", b"", b"PUT "] {
            assert!(!LISTED.answers_method(no), "{}", no.escape_ascii());
        }
    }

    #[test]
    fn allow_origin_is_a_star_or_the_origin_itself() {
        let origin = HeaderValue::from_static(APP);
        assert_eq!(LISTED.allow_origin(&origin), APP);
        let any = CorsRoute::__new(policy(Origins::Any, None), "f", "/", &["GET"], "GET");
        assert_eq!(any.allow_origin(&origin), "*");
    }

    #[test]
    fn a_scope_wide_binding_answers_get_and_head() {
        let scope = CorsRoute::scope_wide(policy(Origins::Any, None));
        assert_eq!(scope.methods(), ["GET", "HEAD"]);
        assert_eq!(scope.allow_methods, "GET, HEAD");
        assert!(scope.log_request_path && !LISTED.log_request_path);
    }
}
