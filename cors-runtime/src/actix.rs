//! The actix-web side: [`Route`] (a policy bound to one route), [`CorsGuard`] (the middleware
//! around the route's resource) and the preflight service registered beside it.

use core::future::{Ready, ready};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::future::Future;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::ConnectionInfo;
use actix_web::dev::{
    AppService, ResourceDef, Service, ServiceFactory, ServiceRequest, ServiceResponse, Transform,
};
use actix_web::error::InternalError;
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::uri::Authority;
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpMessage, HttpResponse};

use crate::headers::{RequestedHeadersError, check_requested};
use crate::policy::{Origins, Policy};

static ANY: HeaderValue = HeaderValue::from_static("*");
static TRUE: HeaderValue = HeaderValue::from_static("true");
static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
static VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
static TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

const fn value(text: Option<&'static str>) -> Option<HeaderValue> {
    match text {
        Some(text) => Some(HeaderValue::from_static(text)),
        None => None,
    }
}

/// A [`Policy`] bound to one route: its path, its methods, and every response header value that
/// does not depend on the request, built at compile time.
///
/// The macros emit one `static Route` per annotated route and path.
#[derive(Debug)]
pub struct Route {
    policy: Policy,
    name: &'static str,
    path: &'static str,
    methods: &'static [&'static str],
    allow_methods: HeaderValue,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
}

impl Route {
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
            allow_headers: value(policy.allow_headers_value()),
            expose_headers: value(policy.expose_headers()),
            max_age: value(policy.max_age_value()),
            policy,
        }
    }

    /// The policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The handler's name, as it appears in log lines.
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

    /// `Access-Control-Allow-Origin` for an allowed `origin`: `*` or the origin itself.
    fn allow_origin(&self, origin: &HeaderValue) -> HeaderValue {
        match self.policy.origins() {
            Origins::Any => ANY.clone(),
            Origins::Set(_) | Origins::Runtime(_) => origin.clone(),
        }
    }

    /// Adds the headers of an allowed actual response.
    fn decorate(&self, headers: &mut HeaderMap, allow_origin: HeaderValue) {
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
        }
        if let Some(expose) = &self.expose_headers {
            put(
                headers,
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                expose.clone(),
                present.expose,
            );
        }
        if self.policy.varies_by_origin() && !present.vary_origin {
            headers.append(header::VARY, VARY_ORIGIN.clone());
        }
    }

    /// Logs why a request from `origin` was refused.
    fn refuse(&self, kind: &str, origin: Option<&HeaderValue>, reason: &dyn core::fmt::Display) {
        let origin = origin.map_or(&b"(none)"[..], HeaderValue::as_bytes);
        log::warn!(
            target: "route_cors",
            "{kind} to `{}` ({}) from origin `{}` refused: {reason}",
            self.name,
            self.path,
            origin.escape_ascii(),
        );
    }

    /// Answers a preflight. Runs no extractor, no handler and no route middleware.
    fn preflight(&self, req: ServiceRequest) -> ServiceResponse {
        let headers = req.headers();
        let origin = match OriginHeader::of(headers) {
            OriginHeader::One(origin) if self.policy.origins().allows(origin.as_bytes()) => origin,
            OriginHeader::One(origin) => {
                self.refuse("preflight", Some(origin), &"origin not allowed");
                return req.into_response(forbidden("CORS preflight refused: origin not allowed"));
            }
            // The guard only lets requests with `Origin` through; `Missing` is for completeness.
            OriginHeader::Several(first) => {
                self.refuse("preflight", Some(first), &"several Origin headers");
                return req.into_response(forbidden("CORS preflight refused: malformed Origin"));
            }
            OriginHeader::Missing => {
                self.refuse("preflight", None, &"no Origin header");
                return req.into_response(forbidden("CORS preflight refused: malformed Origin"));
            }
        };
        if let Some(method) = headers.get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            let method = method.as_bytes();
            if !self.methods.iter().any(|m| m.as_bytes() == method) {
                // The guard let a different case through (`patch` for `PATCH`): methods compare
                // case-sensitively, and the answer names the right one so the console says why.
                self.refuse(
                    "preflight",
                    Some(origin),
                    &format_args!(
                        "method `{}` is not one of {}",
                        method.escape_ascii(),
                        self.allow_methods.as_bytes().escape_ascii()
                    ),
                );
            }
        }
        let requested = headers
            .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .map(HeaderValue::as_bytes);
        match check_requested(requested, self.policy.allow_headers()) {
            Ok(()) => {}
            Err(RequestedHeadersError::TooLarge) => {
                self.refuse(
                    "preflight",
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
                self.refuse(
                    "preflight",
                    Some(origin),
                    &format_args!("request header `{}` is not allowed", name.escape_ascii()),
                );
            }
        }

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
        if let Some(allow) = &self.allow_headers {
            out.append(header::ACCESS_CONTROL_ALLOW_HEADERS, allow.clone());
        }
        if let Some(max_age) = &self.max_age {
            out.append(header::ACCESS_CONTROL_MAX_AGE, max_age.clone());
        }
        out.append(header::VARY, VARY_PREFLIGHT.clone());
        req.into_response(res)
    }
}

/// The request's `Origin` header: a browser sends at most one.
enum OriginHeader<'a> {
    Missing,
    One(&'a HeaderValue),
    /// Several lines: malformed, refused; the first is logged.
    Several(&'a HeaderValue),
}

impl<'a> OriginHeader<'a> {
    fn of(headers: &'a HeaderMap) -> Self {
        let mut all = headers.get_all(header::ORIGIN);
        match (all.next(), all.next()) {
            (None, _) => Self::Missing,
            (Some(origin), None) => Self::One(origin),
            (Some(first), Some(_)) => Self::Several(first),
        }
    }
}

/// Which of the headers [`Route::decorate`] sets a response already has.
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
fn vary_origin(headers: &mut HeaderMap) {
    if !headers.get_all(header::VARY).any(covers_origin) {
        headers.append(header::VARY, VARY_ORIGIN.clone());
    }
}

/// 403 with a short plain-text reason and no CORS headers.
fn forbidden(reason: &'static str) -> HttpResponse {
    let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, reason).map_into_boxed_body();
    // A new response has no headers: `append` is `insert` without handing back replaced values.
    let headers = res.headers_mut();
    headers.append(header::CONTENT_TYPE, TEXT_PLAIN.clone());
    headers.append(header::VARY, VARY_ORIGIN.clone());
    res
}

/// Whether `origin` is the request's own origin, as actix-web's connection info reports it
/// (honouring `Forwarded` and `X-Forwarded-*`).
fn is_same_origin(req: &ServiceRequest, origin: &[u8]) -> bool {
    if let Some((scheme, host)) = own_origin(req) {
        return origin_is(origin, scheme, host);
    }
    let info = req.connection_info();
    origin_is(origin, info.scheme().as_bytes(), info.host().as_bytes())
}

/// The request's scheme and host read in place, exactly as `ConnectionInfo` would report them,
/// when no proxy header is involved; `None` otherwise, or when a `ConnectionInfo` is already
/// stored in the request (its value wins).
///
/// `HttpRequest::connection_info` copies four strings and stores them in the request's
/// extensions: five allocations on every refused request. Without `Forwarded`,
/// `X-Forwarded-Proto` and `X-Forwarded-Host`, actix-web 4's `ConnectionInfo::new` takes the
/// scheme from the URI, else `https` when the server is bound with TLS, else `http`; and the
/// host from `Host`, else the URI's authority, else the configured host. So does this.
fn own_origin(req: &ServiceRequest) -> Option<(&[u8], &[u8])> {
    let head = req.head();
    let headers = &head.headers;
    if headers.contains_key(header::FORWARDED)
        || headers.contains_key(&X_FORWARDED_PROTO)
        || headers.contains_key(&X_FORWARDED_HOST)
        || req.extensions().contains::<ConnectionInfo>()
    {
        return None;
    }
    let config = req.app_config();
    let scheme = match head.uri.scheme_str() {
        Some(scheme) => scheme,
        None if config.secure() => "https",
        None => "http",
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| head.uri.authority().map(Authority::as_str))
        .unwrap_or_else(|| config.host());
    Some((scheme.as_bytes(), host.as_bytes()))
}

static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");

/// Whether `origin` is `scheme://host`, the host's port left out when it is the scheme's
/// default.
fn origin_is(origin: &[u8], scheme: &[u8], host: &[u8]) -> bool {
    let Some(rest) = origin
        .strip_prefix(scheme)
        .and_then(|r| r.strip_prefix(b"://"))
    else {
        return false;
    };
    let default_port: &[u8] = match scheme {
        b"https" | b"wss" => b":443",
        b"http" | b"ws" => b":80",
        _ => b"",
    };
    let host = if default_port.is_empty() {
        host
    } else {
        host.strip_suffix(default_port).unwrap_or(host)
    };
    rest.eq_ignore_ascii_case(host)
}

/// The middleware around an annotated route's resource: decides before the handler runs and
/// decorates every response after it.
///
/// The macros pass it to the route attribute as `wrap`; it is the outermost middleware of the
/// route, so handler errors, extractor failures and errors of the route's own middleware all
/// carry CORS headers.
#[derive(Debug, Clone, Copy)]
pub struct CorsGuard(&'static Route);

impl CorsGuard {
    /// The guard for `route`.
    pub const fn new(route: &'static Route) -> Self {
        Self(route)
    }
}

impl<S, B> Transform<S, ServiceRequest> for CorsGuard
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsGuardService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsGuardService {
            service,
            route: self.0,
        }))
    }
}

/// The service [`CorsGuard`] makes.
#[derive(Debug)]
pub struct CorsGuardService<S> {
    service: S,
    route: &'static Route,
}

impl<S, B> Service<ServiceRequest> for CorsGuardService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = GuardFuture<S::Future>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let route = self.route;
        let policy = route.policy();
        let vary = policy.varies_by_origin();
        let (origin, reason) = match OriginHeader::of(req.headers()) {
            OriginHeader::Missing => return self.run(req, Outcome::Plain { vary }),
            OriginHeader::One(origin) if policy.origins().allows(origin.as_bytes()) => {
                let outcome = Outcome::Allowed(route.allow_origin(origin));
                return self.run(req, outcome);
            }
            // Refused: the slow path, where same-origin requests are told apart.
            OriginHeader::One(origin) if is_same_origin(&req, origin.as_bytes()) => {
                return self.run(req, Outcome::Plain { vary });
            }
            OriginHeader::One(origin) => (origin, "origin not allowed"),
            OriginHeader::Several(first) => (first, "several Origin headers"),
        };
        route.refuse("request", Some(origin), &reason);
        if policy.forward_refused() {
            self.run(req, Outcome::Plain { vary: true })
        } else {
            let res = req.into_response(forbidden("CORS request refused: origin not allowed"));
            GuardFuture::refused(res)
        }
    }
}

impl<S> CorsGuardService<S> {
    /// Runs the route; its response gets `outcome`.
    fn run<B>(&self, req: ServiceRequest, outcome: Outcome) -> GuardFuture<S::Future>
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    {
        GuardFuture::run(self.service.call(req), outcome, self.route)
    }
}

/// What the guard adds to the route's response.
#[derive(Debug)]
enum Outcome {
    /// The origin is allowed: CORS headers with this `Access-Control-Allow-Origin`.
    Allowed(HeaderValue),
    /// No CORS headers; `Vary: Origin` when the answer depended on the origin.
    Plain { vary: bool },
}

impl Outcome {
    fn apply(self, route: &Route, headers: &mut HeaderMap) {
        match self {
            Self::Allowed(allow_origin) => route.decorate(headers, allow_origin),
            Self::Plain { vary: true } => vary_origin(headers),
            Self::Plain { vary: false } => {}
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`CorsGuardService`].
    pub struct GuardFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        // The route runs; its response gets `outcome` (taken once).
        Run { #[pin] fut: F, outcome: Option<Outcome>, route: &'static Route },
        // Refused before the route ran: this 403 (taken once).
        Refused { res: Option<ServiceResponse> },
    }
}

impl<F> GuardFuture<F> {
    fn run(fut: F, outcome: Outcome, route: &'static Route) -> Self {
        let outcome = Some(outcome);
        Self {
            state: State::Run {
                fut,
                outcome,
                route,
            },
        }
    }

    fn refused(res: ServiceResponse) -> Self {
        Self {
            state: State::Refused { res: Some(res) },
        }
    }
}

impl<F, B> Future for GuardFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (result, outcome, route) = match self.project().state.project() {
            StateProj::Refused { res } => {
                return Poll::Ready(
                    res.take()
                        .map(ServiceResponse::map_into_right_body)
                        .ok_or_else(polled_after),
                );
            }
            StateProj::Run {
                fut,
                outcome,
                route,
            } => {
                let result = core::task::ready!(fut.poll(cx));
                let Some(outcome) = outcome.take() else {
                    return Poll::Ready(Err(polled_after()));
                };
                (result, outcome, *route)
            }
        };
        Poll::Ready(match result {
            Ok(mut res) => {
                outcome.apply(route, res.headers_mut());
                Ok(res.map_into_left_body())
            }
            // An error of a middleware inside the route: render it here so that it carries the
            // CORS headers too.
            Err(err) => {
                let mut res = err.error_response();
                outcome.apply(route, res.headers_mut());
                Err(InternalError::from_response(err, res).into())
            }
        })
    }
}

fn polled_after() -> Error {
    actix_web::error::ErrorInternalServerError("CORS guard polled after completion")
}

/// Matches the preflights a route answers: `OPTIONS` with `Origin` and an
/// `Access-Control-Request-Method` naming one of the route's methods (in any case, so that a
/// `patch` meant for `PATCH` gets an answer that says why it fails).
#[derive(Debug)]
struct PreflightGuard(&'static Route);

impl Guard for PreflightGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        if head.method != Method::OPTIONS || !head.headers.contains_key(header::ORIGIN) {
            return false;
        }
        head.headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|m| {
                self.0
                    .methods
                    .iter()
                    .any(|r| r.as_bytes().eq_ignore_ascii_case(m.as_bytes()))
            })
    }
}

/// The preflight service: answers in place, with no extractor, handler or middleware.
#[derive(Debug, Clone, Copy)]
struct Preflight(&'static Route);

impl ServiceFactory<ServiceRequest> for Preflight {
    type Response = ServiceResponse;
    type Error = Error;
    type Config = ();
    type Service = Self;
    type InitError = ();
    type Future = Ready<Result<Self, ()>>;

    fn new_service(&self, (): ()) -> Self::Future {
        ready(Ok(*self))
    }
}

impl Service<ServiceRequest> for Preflight {
    type Response = ServiceResponse;
    type Error = Error;
    type Future = Ready<Result<ServiceResponse, Error>>;

    actix_web::dev::always_ready!();

    fn call(&self, req: ServiceRequest) -> Self::Future {
        ready(Ok(self.0.preflight(req)))
    }
}

/// Registers the preflight answer of `route` beside it, on the same path.
///
/// Called by the code `#[cors]` generates, after the route itself is registered.
pub fn register_preflight(config: &mut AppService, route: &'static Route) {
    let path = route.path;
    // The same pattern rules as `actix_web::Resource`: a leading slash, except for the empty
    // path of a scope's own root.
    let rdef = if path.starts_with('/') || (path.is_empty() && !config.is_root()) {
        ResourceDef::new(path)
    } else {
        ResourceDef::new(format!("/{path}"))
    };
    config.register_service(
        rdef,
        Some(vec![Box::new(PreflightGuard(route))]),
        Preflight(route),
        None,
    );
}
