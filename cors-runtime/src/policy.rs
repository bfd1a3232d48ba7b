//! [`Policy`]: one route's CORS policy as constant data.

use crate::headers::AllowHeaders;
use crate::origin::OriginSet;
use crate::runtime::{RuntimeOrigins, TenantKey};

/// Which origins a policy allows.
///
/// More kinds may come: match with a `_` arm.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Origins {
    /// `"*"`: any origin, answered with `Access-Control-Allow-Origin: *`. Never with credentials.
    Any,
    /// The listed origins and patterns, answered by reflecting the request's `Origin`.
    Set(OriginSet),
    /// A list set at start-up from configuration (`origins = runtime(NAME)`), answered by
    /// reflecting the request's `Origin`. Refuses every origin until it is set.
    Runtime {
        /// The list.
        list: &'static RuntimeOrigins,
        /// The static's name as the route names it (`ORIGINS`), for log lines.
        name: &'static str,
    },
}

impl Origins {
    /// Whether `origin` (the `Origin` header's bytes) is allowed for a route with or without
    /// `credentials`. No allocation.
    ///
    /// Only a run-time list depends on `credentials`: its entries that fail the credentials
    /// rules are allowed on routes without credentials only. A list written in `#[cors]` was
    /// checked with its route's `credentials` at compile time.
    pub fn allows(&self, origin: &[u8], credentials: bool) -> bool {
        match self {
            Self::Any => true,
            Self::Set(set) => set.contains(origin),
            Self::Runtime { list, .. } => list.allows(origin, credentials),
        }
    }

    /// [`allows`](Self::allows) for the request `request`, which names the tenant of a
    /// per-tenant run-time list. No allocation.
    pub fn allows_in(&self, origin: &[u8], credentials: bool, request: &dyn TenantKey) -> bool {
        match self {
            Self::Runtime { list, .. } => list.allows_in(origin, credentials, request),
            _ => self.allows(origin, credentials),
        }
    }
}

/// A CORS policy: which origins may call a route, with which headers, and whether with
/// credentials.
///
/// A `Policy` is built and checked at compile time by [`#[cors(...)]`](crate) or by the
/// `policy!` macro, which makes a named policy that several routes share:
///
/// ```text
/// const API: Policy = route_cors::policy!(origins = ["https://app.example.com"], credentials);
///
/// #[cors(API)]
/// #[get("/items")]
/// async fn items() -> &'static str { "[]" }
/// ```
///
/// It is plain constant data (`&'static` strings and tables), so it costs nothing to copy and
/// nothing to keep in a `const`. The allowed methods are not part of it: they come from each
/// route's attribute.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    origins: Origins,
    allow_headers: AllowHeaders,
    allow_headers_value: Option<&'static str>,
    expose_headers: Option<&'static str>,
    credentials: bool,
    max_age: Option<&'static str>,
    max_age_seconds: Option<u32>,
    forward_refused: bool,
}

/// `text` as a number of seconds, in a `const` context: the macros write `max_age` in decimal.
const fn seconds(text: &str) -> u32 {
    let bytes = text.as_bytes();
    assert!(
        !bytes.is_empty() && bytes.len() <= 9,
        "`max_age` is 0 to 86400 seconds"
    );
    let mut n = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        assert!(
            bytes[i].is_ascii_digit(),
            "`max_age` is a number of seconds"
        );
        n = n * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    n
}

impl Policy {
    /// Assembles a policy from parts the macros have already checked.
    ///
    /// Not public API: the macros are the way to build a policy, because they check it.
    ///
    /// # Panics
    ///
    /// With credentials and any origin, or a `max_age` that is not decimal seconds: in the
    /// `const` the macros emit, that is a compile error.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)]
    pub const fn __from_parts(
        origins: Origins,
        allow_headers: AllowHeaders,
        allow_headers_value: Option<&'static str>,
        expose_headers: Option<&'static str>,
        credentials: bool,
        max_age: Option<&'static str>,
        forward_refused: bool,
    ) -> Self {
        assert!(
            !(credentials && matches!(origins, Origins::Any)),
            "a CORS policy cannot allow any origin with credentials"
        );
        Self {
            origins,
            allow_headers,
            allow_headers_value,
            expose_headers,
            credentials,
            max_age,
            max_age_seconds: match max_age {
                Some(text) => Some(seconds(text)),
                None => None,
            },
            forward_refused,
        }
    }

    /// A policy that refuses every cross-origin request: what `policy!` stands in with when its
    /// arguments have errors, so that the constant still type-checks and no error follows from
    /// the ones reported.
    ///
    /// Not public API: the macros emit it.
    #[doc(hidden)]
    pub const fn __refusing_every_origin() -> Self {
        Self::__from_parts(
            Origins::Set(OriginSet::__new(&[], &[])),
            AllowHeaders::None,
            None,
            None,
            false,
            None,
            false,
        )
    }

    /// The allowed origins.
    pub const fn origins(&self) -> &Origins {
        &self.origins
    }

    /// The request headers a cross-origin request may carry.
    pub const fn allow_headers(&self) -> &AllowHeaders {
        &self.allow_headers
    }

    /// The value of `Access-Control-Allow-Headers` in a preflight answer, if any.
    pub const fn allow_headers_value(&self) -> Option<&'static str> {
        self.allow_headers_value
    }

    /// The value of `Access-Control-Expose-Headers`, if any.
    pub const fn expose_headers(&self) -> Option<&'static str> {
        self.expose_headers
    }

    /// Whether responses carry `Access-Control-Allow-Credentials: true`.
    pub const fn credentials(&self) -> bool {
        self.credentials
    }

    /// How long a browser may cache a preflight answer, in seconds, if set (`max_age`).
    pub const fn max_age(&self) -> Option<u32> {
        self.max_age_seconds
    }

    /// The value of `Access-Control-Max-Age` in a preflight answer, if any: [`max_age`](Self::max_age)
    /// in decimal.
    pub const fn max_age_value(&self) -> Option<&'static str> {
        self.max_age
    }

    /// Whether requests from refused origins still reach the handler (without CORS headers)
    /// instead of being answered 403.
    pub const fn forward_refused(&self) -> bool {
        self.forward_refused
    }

    /// Whether this policy allows `origin` (the `Origin` header's bytes). No allocation.
    pub fn allows_origin(&self, origin: &[u8]) -> bool {
        self.origins.allows(origin, self.credentials)
    }

    /// Whether this policy allows `origin` on `request`, which names the tenant of a
    /// per-tenant run-time list. No allocation.
    pub fn allows_origin_in(&self, origin: &[u8], request: &dyn TenantKey) -> bool {
        self.origins.allows_in(origin, self.credentials, request)
    }

    /// Whether the answer depends on the request's `Origin`, so responses need `Vary: Origin`.
    pub const fn varies_by_origin(&self) -> bool {
        !matches!(self.origins, Origins::Any)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn with_max_age(max_age: Option<&'static str>) -> Policy {
        Policy::__from_parts(
            Origins::Any,
            AllowHeaders::None,
            None,
            None,
            false,
            max_age,
            false,
        )
    }

    #[test]
    fn max_age_is_a_number_and_a_header_value() {
        const DAY: Policy = with_max_age(Some("86400"));
        assert_eq!(DAY.max_age(), Some(86_400));
        assert_eq!(DAY.max_age_value(), Some("86400"));
        assert_eq!(with_max_age(Some("0")).max_age(), Some(0));
        assert_eq!(with_max_age(None).max_age(), None);
        assert_eq!(with_max_age(None).max_age_value(), None);
    }

    #[test]
    #[should_panic(expected = "number of seconds")]
    fn a_max_age_that_is_not_decimal_is_refused() {
        let _ = with_max_age(Some("60s"));
    }

    #[test]
    fn the_stand_in_refuses_every_origin() {
        const STAND_IN: Policy = Policy::__refusing_every_origin();
        for origin in ["https://app.example.com", "null", ""] {
            assert!(!STAND_IN.allows_origin(origin.as_bytes()), "{origin}");
        }
        assert!(STAND_IN.varies_by_origin());
        assert!(!STAND_IN.credentials() && !STAND_IN.forward_refused());
    }
}
