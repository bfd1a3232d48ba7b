//! [`CorsRoute`]: a policy bound to one route, with every response header value that does not
//! depend on the request built at compile time, and the answers it gives.

use actix_web::HttpResponse;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::request::{OriginHeader, Shown, is_same_origin};
use crate::headers::{RequestedHeadersError, check_requested};
use crate::policy::{Origins, Policy};

static ANY: HeaderValue = HeaderValue::from_static("*");
static TRUE: HeaderValue = HeaderValue::from_static("true");
static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
static VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
static TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

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
    policy: Policy,
    name: &'static str,
    path: &'static str,
    methods: &'static [&'static str],
    allow_methods: HeaderValue,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
    /// Log lines show the request's path rather than `path` (a scope-wide policy has none).
    log_request_path: bool,
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

    /// What an actual (not preflight) request to this route gets.
    pub(crate) fn decide(&self, req: &ServiceRequest) -> Decision {
        let path = self.log_path(req);
        let policy = &self.policy;
        let vary = policy.varies_by_origin();
        match OriginHeader::of(req.headers()) {
            OriginHeader::Missing => Decision::Pass(Outcome::Plain { vary }),
            OriginHeader::One(origin) if policy.allows_origin(origin.as_bytes()) => {
                Decision::Pass(Outcome::Allowed(self.allow_origin(origin)))
            }
            // Refused: the slow path, where same-origin requests are told apart.
            OriginHeader::One(origin) if is_same_origin(req, origin.as_bytes()) => {
                Decision::Pass(Outcome::Plain { vary })
            }
            OriginHeader::One(origin) => {
                self.log(
                    Level::Refused,
                    "request",
                    path,
                    Some(origin),
                    &self.why_refused(),
                );
                self.refused()
            }
            OriginHeader::Several(first) => {
                self.log(
                    Level::Malformed,
                    "request",
                    path,
                    Some(first),
                    &"several Origin headers",
                );
                self.refused()
            }
        }
    }

    /// Why an origin is refused, in a log line: a run-time list that was never set says so.
    fn why_refused(&self) -> WhyRefused {
        match self.policy.origins() {
            Origins::Runtime { list, name } if !list.is_set() => WhyRefused::Unset(name),
            _ => WhyRefused::NotAllowed,
        }
    }

    fn refused(&self) -> Decision {
        if self.policy.forward_refused() {
            Decision::Pass(Outcome::Refused)
        } else {
            Decision::Refuse
        }
    }

    /// Adds the headers of an allowed actual response: `Access-Control-Allow-Origin`,
    /// `-Allow-Credentials` and `-Expose-Headers` replace any the handler set (one value each,
    /// exactly ours), and `Vary: Origin` is appended unless the response already varies by
    /// `Origin` or by everything.
    pub(crate) fn decorate(&self, headers: &mut HeaderMap, allow_origin: HeaderValue) {
        // One pass over the response's few headers tells which of ours it already has: those
        // are replaced (`insert`), the others added with `append`, which costs less than
        // `insert` (no replaced values handed back), and `Vary` needs no second lookup.
        let mut present = Present::default();
        for (name, value) in headers.iter() {
            if *name == header::ACCESS_CONTROL_ALLOW_ORIGIN {
                present.allow_origin = true;
            } else if *name == header::ACCESS_CONTROL_ALLOW_CREDENTIALS {
                present.credentials = true;
            } else if *name == header::ACCESS_CONTROL_EXPOSE_HEADERS {
                present.expose = true;
            } else if *name == header::VARY && covers_origin(value) {
                present.vary_origin = true;
            }
        }
        put(
            headers,
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            allow_origin,
            present.allow_origin,
        );
        if self.policy.credentials() {
            put(
                headers,
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                TRUE.clone(),
                present.credentials,
            );
        } else if present.credentials {
            headers.remove(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
        }
        match &self.expose_headers {
            Some(expose) => put(
                headers,
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                expose.clone(),
                present.expose,
            ),
            None if present.expose => {
                headers.remove(header::ACCESS_CONTROL_EXPOSE_HEADERS);
            }
            None => {}
        }
        if self.policy.varies_by_origin() && !present.vary_origin {
            headers.append(header::VARY, VARY_ORIGIN.clone());
        }
    }

    /// Answers a preflight: runs no extractor, no handler and no route middleware.
    pub(crate) fn preflight(&self, req: ServiceRequest) -> ServiceResponse {
        let path = self.log_path(&req);
        let headers = req.headers();
        let origin = match OriginHeader::of(headers) {
            OriginHeader::One(origin) if self.policy.allows_origin(origin.as_bytes()) => origin,
            OriginHeader::One(origin) => {
                self.log(
                    Level::Refused,
                    "preflight",
                    path,
                    Some(origin),
                    &self.why_refused(),
                );
                return req.into_response(forbidden("CORS preflight refused: origin not allowed"));
            }
            OriginHeader::Several(first) => {
                self.log(
                    Level::Malformed,
                    "preflight",
                    path,
                    Some(first),
                    &"several Origin headers",
                );
                return req.into_response(forbidden("CORS preflight refused: malformed Origin"));
            }
            // Preflights are told apart by their `Origin`; `Missing` is for completeness.
            OriginHeader::Missing => {
                self.log(
                    Level::Malformed,
                    "preflight",
                    path,
                    None,
                    &"no Origin header",
                );
                return req.into_response(forbidden("CORS preflight refused: malformed Origin"));
            }
        };
        if let Some(method) = headers.get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            let method = method.as_bytes();
            if !self.methods.iter().any(|m| m.as_bytes() == method) {
                // Another case (`patch` for `PATCH`): methods compare case-sensitively, and the
                // answer names the right one so that the browser's console says why.
                self.log(
                    Level::Mismatch,
                    "preflight",
                    path,
                    Some(origin),
                    &format_args!(
                        "method `{}` is not one of {}",
                        Shown(method),
                        self.allow_methods.as_bytes().escape_ascii()
                    ),
                );
            }
        }
        let requested = headers.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS);
        let grant = match check_requested(
            requested.clone().map(HeaderValue::as_bytes),
            self.policy.allow_headers(),
        ) {
            // Nothing asked for: nothing granted.
            Ok(0) => Grant::Nothing,
            // Exactly what was asked for, reusing the request's own lines.
            Ok(_) => Grant::Requested,
            Err(RequestedHeadersError::TooLarge) => {
                self.log(
                    Level::Malformed,
                    "preflight",
                    path,
                    Some(origin),
                    &"Access-Control-Request-Headers is too large",
                );
                return req.into_response(forbidden(
                    "CORS preflight refused: too many request headers",
                ));
            }
            // Answered all the same, listing what is allowed: the browser then names the header.
            Err(
                RequestedHeadersError::NotAllowed(name) | RequestedHeadersError::Malformed(name),
            ) => {
                self.log(
                    Level::Mismatch,
                    "preflight",
                    path,
                    Some(origin),
                    &format_args!("request header `{}` is not allowed", Shown(name)),
                );
                Grant::Allowed
            }
        };

        let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
        // A new response has no headers: `append` is `insert` without handing back replaced
        // values.
        let out = res.headers_mut();
        out.append(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            self.allow_origin(origin),
        );
        if self.policy.credentials() {
            out.append(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
        }
        out.append(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            self.allow_methods.clone(),
        );
        match grant {
            Grant::Nothing => {}
            Grant::Requested => {
                for line in requested {
                    out.append(header::ACCESS_CONTROL_ALLOW_HEADERS, line.clone());
                }
            }
            Grant::Allowed => {
                if let Some(allow) = &self.allow_headers {
                    out.append(header::ACCESS_CONTROL_ALLOW_HEADERS, allow.clone());
                }
            }
        }
        if let Some(max_age) = &self.max_age {
            out.append(header::ACCESS_CONTROL_MAX_AGE, max_age.clone());
        }
        out.append(header::VARY, VARY_PREFLIGHT.clone());
        req.into_response(res)
    }

    /// Logs why a request from `origin` was refused. What one request can make this log is
    /// bounded: header bytes are cut at [`LOGGED_BYTES`](super::request::LOGGED_BYTES).
    pub(crate) fn log(
        &self,
        level: Level,
        kind: &str,
        path: &str,
        origin: Option<&HeaderValue>,
        reason: &dyn core::fmt::Display,
    ) {
        let origin = origin.map_or(&b"(none)"[..], HeaderValue::as_bytes);
        log::log!(
            target: "route_cors",
            level.log_level(),
            "{kind} to `{}` ({}) from origin `{}` refused: {reason}",
            self.name,
            Shown(path.as_bytes()),
            Shown(origin),
        );
    }

    /// The path log lines show: the route's pattern, or the request's path for a scope.
    fn log_path<'r>(&self, req: &'r ServiceRequest) -> &'r str {
        if self.log_request_path {
            req.path()
        } else {
            self.path
        }
    }
}

/// Why an origin is refused.
enum WhyRefused {
    NotAllowed,
    /// The route's run-time list, by name, was never set.
    Unset(&'static str),
}

impl core::fmt::Display for WhyRefused {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NotAllowed => f.write_str("origin not allowed"),
            Self::Unset(name) => write!(
                f,
                "origin not allowed: the run-time list `{name}` is not set"
            ),
        }
    }
}

/// How serious a refusal is, which decides its log level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// An allowed origin asked for a method or header the route does not allow: a page of
    /// the application is likely broken. `warn`.
    Mismatch,
    /// An origin the policy does not allow: a public API sees these all day. `info`.
    Refused,
    /// A request no browser sends (several `Origin` lines, a huge header list). `debug`.
    Malformed,
}

impl Level {
    const fn log_level(self) -> log::Level {
        match self {
            Self::Mismatch => log::Level::Warn,
            Self::Refused => log::Level::Info,
            Self::Malformed => log::Level::Debug,
        }
    }
}

/// What a preflight answer grants in `Access-Control-Allow-Headers`.
enum Grant {
    /// The preflight asked for no header: no `Access-Control-Allow-Headers`.
    Nothing,
    /// Every requested header is allowed: the request's own lines, echoed.
    Requested,
    /// A requested header is not allowed: the policy's list, so the browser names the header.
    Allowed,
}

/// What an actual request gets.
#[derive(Debug)]
pub(crate) enum Decision {
    /// The route runs; its response gets this outcome.
    Pass(Outcome),
    /// 403 before the route runs.
    Refuse,
}

/// What the middleware adds to the route's response.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// The origin is allowed: CORS headers with this `Access-Control-Allow-Origin`.
    Allowed(HeaderValue),
    /// No CORS headers; `Vary: Origin` when the answer depended on the origin.
    Plain { vary: bool },
    /// A refused origin let through (`forward_refused`): no CORS headers, even ones the
    /// handler set, and `Vary: Origin`.
    Refused,
}

impl Outcome {
    pub(crate) fn apply(self, route: &CorsRoute, headers: &mut HeaderMap) {
        match self {
            Self::Allowed(allow_origin) => route.decorate(headers, allow_origin),
            Self::Plain { vary: true } => vary_origin(headers),
            Self::Plain { vary: false } => {}
            Self::Refused => {
                for name in [
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    header::ACCESS_CONTROL_EXPOSE_HEADERS,
                ] {
                    headers.remove(name);
                }
                vary_origin(headers);
            }
        }
    }
}

/// Which of the headers [`CorsRoute::decorate`] sets a response already has.
#[derive(Default)]
#[allow(clippy::struct_excessive_bools)]
struct Present {
    allow_origin: bool,
    credentials: bool,
    expose: bool,
    /// A `Vary` value names `Origin` (or is `*`).
    vary_origin: bool,
}

/// Sets `name` to `value` alone: `insert` when the response already has it, else `append`.
fn put(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue, present: bool) {
    if present {
        headers.insert(name, value);
    } else {
        headers.append(name, value);
    }
}

/// Whether a `Vary` value names `Origin` or everything.
fn covers_origin(vary: &HeaderValue) -> bool {
    vary.as_bytes()
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii)
        .any(|t| t.eq_ignore_ascii_case(b"origin") || t == b"*")
}

/// Adds `Origin` to `Vary` unless the response already varies by it (or by everything).
pub(crate) fn vary_origin(headers: &mut HeaderMap) {
    if !headers.get_all(header::VARY).any(covers_origin) {
        headers.append(header::VARY, VARY_ORIGIN.clone());
    }
}

/// 403 with a short plain-text reason and no CORS headers.
pub(crate) fn forbidden(reason: &'static str) -> HttpResponse {
    let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, reason).map_into_boxed_body();
    // A new response has no headers: `append` is `insert` without handing back replaced values.
    let headers = res.headers_mut();
    headers.append(header::CONTENT_TYPE, TEXT_PLAIN.clone());
    headers.append(header::VARY, VARY_ORIGIN.clone());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_names_origin_or_everything() {
        for yes in [
            "Origin",
            "origin",
            "Accept-Encoding, Origin",
            " ORIGIN ",
            "*",
            "x, *",
        ] {
            assert!(covers_origin(&HeaderValue::from_static(yes)), "{yes}");
        }
        for no in ["", "Accept-Encoding", "Origins", "x-origin", "**"] {
            assert!(!covers_origin(&HeaderValue::from_static(no)), "{no}");
        }
    }

    #[test]
    fn vary_origin_is_added_once() {
        let mut headers = HeaderMap::new();
        vary_origin(&mut headers);
        vary_origin(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 1);
        let mut star = HeaderMap::new();
        star.insert(header::VARY, HeaderValue::from_static("*"));
        vary_origin(&mut star);
        assert_eq!(star.get_all(header::VARY).collect::<Vec<_>>(), ["*"]);
    }
}
