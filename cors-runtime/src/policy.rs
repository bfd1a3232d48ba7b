//! [`Policy`]: one route's CORS policy as constant data.

use actix_web::http::header::HeaderValue;

use crate::origin::OriginSet;
use crate::request_headers::AllowHeaders;
use crate::runtime_origins::{RuntimeOrigins, TenantKey};

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

/// Names and the header value that lists them (`"content-type, x-api-key"`), written together
/// by the macros: the matcher reads the names, the answer writes the value as it is.
///
/// Constant data with nothing to drop, so that a route's `CorsRoute` literal is promoted to
/// static memory where it is written (no `static` item per route for the compiler to check):
/// the value is text, and [`HeaderValue::from_static`] makes the header of it where it is sent
/// (a check of its bytes, no allocation, no copy).
///
/// Not public API: the macros build it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names {
    /// The names, in the case the answer writes them.
    pub names: &'static [&'static str],
    /// `names` joined with `", "`: a header value's text (visible ASCII, checked by the macros).
    pub value: &'static str,
}

impl Names {
    /// The header value listing the names.
    pub(crate) const fn header(&self) -> HeaderValue {
        HeaderValue::from_static(self.value)
    }
}

/// One [`Names`] constant per standard method, for a route that serves that method alone.
macro_rules! one_method {
    ($($method:ident)*) => {
        impl Names {
            $(
                #[doc = concat!("`", stringify!($method), "` alone.")]
                pub const $method: Self = Self {
                    names: &[stringify!($method)],
                    value: stringify!($method),
                };
            )*
        }
    };
}

one_method!(GET POST PUT DELETE PATCH HEAD OPTIONS TRACE CONNECT);

/// `max_age`: the seconds, and the header value's text that says them, written together by the
/// macros.
///
/// Not public API: the macros build it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxAge {
    /// The seconds.
    pub seconds: u32,
    /// `seconds` in decimal: the text of `Access-Control-Max-Age`.
    pub value: &'static str,
}

impl MaxAge {
    /// `Access-Control-Max-Age`'s value.
    pub(crate) const fn header(&self) -> HeaderValue {
        HeaderValue::from_static(self.value)
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
/// It is constant data with nothing to drop, each fact once in the form the answer uses
/// (header values as checked text), so it costs nothing to keep in a `const`. The allowed
/// methods are not part of it: they come from each route's attribute.
///
/// Its fields are the contract between the macros and this crate, not public API: read a
/// policy with its methods, and build one with the macros, which check it.
#[derive(Debug, Clone)]
pub struct Policy {
    #[doc(hidden)]
    pub origins: Origins,
    #[doc(hidden)]
    pub allow_headers: AllowHeaders,
    #[doc(hidden)]
    pub expose_headers: Option<Names>,
    #[doc(hidden)]
    pub credentials: bool,
    #[doc(hidden)]
    pub max_age: Option<MaxAge>,
    #[doc(hidden)]
    pub forward_refused: bool,
}

impl Policy {
    /// A policy that refuses every cross-origin request: what `policy!` stands in with when its
    /// arguments have errors, so that the constant still type-checks and no error follows from
    /// the ones reported.
    ///
    /// Not public API: the macros emit it.
    #[doc(hidden)]
    pub const REFUSING_EVERY_ORIGIN: Self = Self {
        origins: Origins::Set(OriginSet::__new(&[], &[])),
        allow_headers: AllowHeaders::None,
        expose_headers: None,
        credentials: false,
        max_age: None,
        forward_refused: false,
    };

    /// The allowed origins.
    pub const fn origins(&self) -> &Origins {
        &self.origins
    }

    /// The request headers a cross-origin request may carry.
    pub const fn allow_headers(&self) -> &AllowHeaders {
        &self.allow_headers
    }

    /// The response headers a cross-origin caller may read (`expose_headers`): the names, or
    /// `["*"]` for any (without credentials). Empty when none is.
    pub const fn expose_headers(&self) -> &'static [&'static str] {
        match &self.expose_headers {
            Some(names) => names.names,
            None => &[],
        }
    }

    /// Whether responses carry `Access-Control-Allow-Credentials: true`.
    pub const fn credentials(&self) -> bool {
        self.credentials
    }

    /// How long a browser may cache a preflight answer, in seconds, if set (`max_age`).
    pub const fn max_age(&self) -> Option<u32> {
        match &self.max_age {
            Some(max_age) => Some(max_age.seconds),
            None => None,
        }
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

    #[test]
    fn the_stand_in_refuses_every_origin() {
        const STAND_IN: Policy = Policy::REFUSING_EVERY_ORIGIN;
        for origin in ["https://app.example.com", "null", ""] {
            assert!(!STAND_IN.allows_origin(origin.as_bytes()), "{origin}");
        }
        assert!(STAND_IN.varies_by_origin());
        assert!(!STAND_IN.credentials() && !STAND_IN.forward_refused());
        assert_eq!(
            (STAND_IN.max_age(), STAND_IN.expose_headers()),
            (None, &[][..])
        );
    }
}
