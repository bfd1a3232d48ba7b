#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

/// Makes an actix-web route CORS-enabled, checked at compile time.
///
/// Put it **above** the route attribute (`#[get]`, `#[post]`, `#[put]`, `#[patch]`, `#[delete]`,
/// `#[head]`, `#[options]`, `#[route]`, `#[routes]`, bare or path-qualified). Registering the
/// handler with `App::service` then registers the route *and* its preflight answer.
///
/// # Keys
///
/// The key, type and default columns are those of the README's table (`tests/ui.rs` checks
/// that the two agree).
///
/// | key | type | default | meaning |
/// |---|---|---|---|
/// | `origins` | `"*"`, a string, a list of strings, or `runtime(NAME)` | required | Allowed origins: exact (`"https://app.example.com"`; one origin may be written without brackets), subdomain patterns (`"https://*.example.com"`, one or more labels), any port (`"http://localhost:*"`). `"*"` allows every origin (not with `credentials`). `runtime(NAME)` names a [`RuntimeOrigins`] static set at start-up from configuration. |
/// | `allow_headers` | `"*"`, a string, or a list of strings | none | Request headers a cross-origin request may carry beyond the CORS-safelisted ones. The safelisted names (`accept`, `accept-language`, `content-language`, `content-type`, `range`) are safelisted only for some values, so they are worth listing too (`content-type` for JSON). A preflight is granted exactly the names it asks for. `"*"` never covers `Authorization`. |
/// | `expose_headers` | `"*"`, a string, or a list of strings | none | Response headers the page's script may read beyond the safelisted ones. |
/// | `credentials` | flag | off | Allow cookies and HTTP authentication: `Access-Control-Allow-Credentials: true`. |
/// | `max_age` | integer 0–86400 | none | Seconds a browser may cache the preflight answer (Chromium caps it at 7200, Safari at 600, Firefox at 86400). |
/// | `forward_refused` | flag | off | Let cross-origin requests from refused origins reach the handler (without CORS headers) instead of answering 403. |
/// | `insecure_http_credentials` | flag | off | **Dangerous.** Allow plain `http://` origins other than loopback together with `credentials`: anyone on the network path can then read and forge the user's credentialed requests. Only with `credentials`, and only when some listed origin needs it. |
/// | `preflights_skip_guards` | flag | off | A setting of the route, not of its policy (also after a named policy: `#[cors(API, preflights_skip_guards)]`): the route's preflights skip its `guard = ...`s, for a guard on what only the actual request carries (a header the page sets). |
///
/// Every key is checked at compile time, with an error on the offending token and its fix;
/// `docs/diagnostics.md` in the repository lists every diagnostic.
/// Header names in `allow_headers` must not be forbidden request headers (`cookie`, `host`,
/// `sec-*`, ...) nor CORS response headers; `expose_headers` must not name `set-cookie`, a
/// safelisted response header or a request-only name. A `max_age` above Chromium's cap of
/// 7200 s compiles with a `deprecated` warning.
///
/// Or a single path naming a [`Policy`] made by [`policy!`]: `#[cors(API)]`.
///
/// The allowed methods are the route's own, read from the route attribute.
///
/// # What it generates
///
/// The actix-web resource actix-web's own route macro would (same path, `name`, `guard`s and
/// `wrap`s), with two differences: its method guard also accepts the preflights that ask for
/// one of the route's methods, and its outermost middleware answers them before the route's own
/// middleware, extractors and handler run. One router entry per route: a preflight costs one
/// path match, and the route's guards decide which route answers it. See the crate
/// documentation for the exact answers.
///
/// # Examples
///
/// ```no_run
/// use actix_web::{App, HttpServer, Responder, post, web};
/// use route_cors::cors;
///
/// #[cors(
///     origins = ["https://app.example.com", "https://*.example.com"],
///     allow_headers = ["content-type", "x-api-key"],
///     expose_headers = ["x-request-id"],
///     credentials,
///     max_age = 600,
/// )]
/// #[post("/items/{id}")]
/// async fn update_item(id: web::Path<u32>, body: String) -> impl Responder {
///     format!("item {id}: {body}")
/// }
///
/// #[actix_web::main]
/// async fn main() -> std::io::Result<()> {
///     HttpServer::new(|| App::new().service(update_item)).bind(("127.0.0.1", 8080))?.run().await
/// }
/// ```
///
/// Placed below the route attribute, it is a compile error that says where it goes:
///
/// ```compile_fail
/// use actix_web::get;
/// use route_cors::cors;
///
/// #[get("/items")]
/// #[cors(origins = ["https://app.example.com"])]
/// async fn items() -> &'static str { "[]" }
/// ```
pub use cors_macros::cors;

/// Builds a named [`Policy`], checked at compile time, that several routes share with
/// `#[cors(NAME)]`.
///
/// Takes the same keys as [`cors`].
///
/// # Examples
///
/// ```
/// use actix_web::{App, delete, get};
/// use route_cors::{Policy, cors, policy};
///
/// const API: Policy = policy!(
///     origins = ["https://app.example.com"],
///     allow_headers = ["content-type"],
///     credentials,
/// );
///
/// #[cors(API)]
/// #[get("/items")]
/// async fn list() -> &'static str { "[]" }
///
/// #[cors(API)]
/// #[delete("/items/{id}")]
/// async fn remove() -> &'static str { "" }
///
/// let _app = App::new().service(list).service(remove);
/// ```
pub use cors_macros::policy;

pub use cors_runtime::origin::OriginSet;
pub use cors_runtime::policy::{Origins, Policy};
pub use cors_runtime::request_headers::AllowHeaders;

/// The app's CORS surface: every `#[cors]` route and `ScopeCors` with its policy, listed by
/// building the app once; a table for people, JSON (feature `json`), and queries for tests.
///
/// # Examples
///
/// A test that fails when a route lets an unexpected origin read with credentials, and the
/// table to log at start-up:
///
/// ```
/// use actix_web::{App, get};
/// use route_cors::{Surface, cors};
///
/// #[cors(origins = ["https://app.example.com"], credentials)]
/// #[get("/orders")]
/// async fn orders() -> &'static str { "[]" }
///
/// # actix_web::rt::System::new().block_on(async {
/// let surface = Surface::of(App::new().service(orders)).await;
/// let granted: Vec<&str> = surface
///     .allowing_with_credentials("https://app.example.com")
///     .map(|r| r.route().name())
///     .collect();
/// assert_eq!(granted, ["orders"]);
/// for origin in ["https://evil.example", "http://app.example.com", "null"] {
///     assert_eq!(surface.allowing(origin).count(), 0, "{origin}");
/// }
/// log::info!("{surface}"); // one line per route: methods, path, handler, policy
/// # });
/// ```
pub use cors_runtime::actix::{Surface, SurfaceRoute, SurfaceScope};

/// Origins from configuration, checked at start-up with the rules `#[cors]` applies at compile
/// time, for routes annotated with `#[cors(origins = runtime(NAME))]`.
///
/// Set the list once, before building the server; if it fails, the error lists every bad entry
/// with its fix. Until it is set, cross-origin requests to those routes are refused, and the
/// first of them registered logs an error naming the list; `set_none()` says on purpose that
/// this deployment allows no cross-origin request (an empty list given to `set` is an error). A route with `credentials` refuses
/// the entries the credentials rules do not allow (plain `http://` outside loopback, a pattern
/// over a public suffix), and logs them once; a test can give its own app a list with
/// `set_on_this_thread` (feature `testing`).
///
/// # Examples
///
/// ```
/// use actix_web::{App, get};
/// use route_cors::{RuntimeOrigins, cors};
///
/// static ORIGINS: RuntimeOrigins = RuntimeOrigins::new();
///
/// #[cors(origins = runtime(ORIGINS), credentials)]
/// #[get("/items")]
/// async fn items() -> &'static str { "[]" }
///
/// // At start-up, e.g. from `std::env::var("ALLOWED_ORIGINS")`:
/// let bad = ORIGINS.set_from_str("https://App.Example.com/, https://intranet..example.com, *");
/// let err = bad.unwrap_err();
/// assert_eq!(err.problems().len(), 3);
/// assert_eq!(
///     err.problems()[0].error.suggestion.as_deref(),
///     Some("https://app.example.com"),
/// );
/// println!("{err}"); // every bad entry, each with its fix
///
/// ORIGINS.set_from_str("https://app.example.com, https://*.example.com")?;
/// let _app = App::new().service(items);
/// # Ok::<(), route_cors::OriginListError>(())
/// ```
pub use cors_runtime::runtime_origins::RuntimeOrigins;

/// CORS for a whole `App` or `web::scope`: a scope-wide policy for what is not a `#[cors]`
/// route, and preflights that get past authentication.
///
/// # Examples
///
/// Authentication for a whole app: the preflights of the `#[cors]` routes inside skip it and
/// are answered by the routes' own policies, and nothing else ever runs for a request without
/// credentials; its 401s carry `API`'s headers, so the page can read them.
///
/// ```
/// use actix_web::{App, dev::ServiceRequest, get, test};
/// use actix_web_httpauth::{extractors::bearer::BearerAuth, middleware::HttpAuthentication};
/// use route_cors::{Policy, ScopeCors, cors, policy};
///
/// const API: Policy = policy!(
///     origins = ["https://app.example.com"],
///     allow_headers = ["authorization"],
///     credentials,
/// );
///
/// async fn validator(
///     req: ServiceRequest,
///     token: BearerAuth,
/// ) -> Result<ServiceRequest, (actix_web::Error, ServiceRequest)> {
///     if token.token() == "let-me-in" {
///         Ok(req)
///     } else {
///         Err((actix_web::error::ErrorUnauthorized("bad token"), req))
///     }
/// }
///
/// #[cors(API)]
/// #[get("/me")]
/// async fn me() -> &'static str { "{}" }
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(
///     App::new().service(
///         ScopeCors::new(API)
///             .around(HttpAuthentication::bearer(validator))
///             .scope("", |scope| scope.service(me)),
///     ),
/// )
/// .await;
///
/// // The browser's preflight carries no credentials: the route answers it.
/// let preflight = test::TestRequest::default()
///     .method(actix_web::http::Method::OPTIONS)
///     .uri("/me")
///     .insert_header(("origin", "https://app.example.com"))
///     .insert_header(("access-control-request-method", "GET"))
///     .insert_header(("access-control-request-headers", "authorization"))
///     .to_request();
/// let res = test::call_service(&app, preflight).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-allow-headers").unwrap(), "authorization");
///
/// // A request without a token is refused by the middleware, readably.
/// let no_token = test::TestRequest::get()
///     .uri("/me")
///     .insert_header(("origin", "https://app.example.com"))
///     .to_request();
/// let res = test::call_service(&app, no_token).await;
/// assert_eq!(res.status(), 401);
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
/// # });
/// ```
///
/// Static files shared cross-origin (fonts, images for a canvas):
///
/// ```
/// use actix_web::{App, web};
/// use route_cors::{Policy, ScopeCors, policy};
///
/// const ASSETS: Policy = policy!(origins = ["https://app.example.com", "https://*.example.com"]);
///
/// let app = App::new().service(
///     web::scope("/assets")
///         .wrap(ScopeCors::new(ASSETS))
///         .service(actix_files::Files::new("/", "./assets")),
/// );
/// # let _ = app;
/// ```
pub use cors_runtime::actix::ScopeCors;

pub use cors_runtime::actix::{WithCorsHeaders, is_preflight};

pub use cors_runtime::error::{OriginError, OriginListError, OriginListProblem};

/// Run-time origin lists changed while serving and kept per tenant: what
/// [`RuntimeOrigins::update`], [`RuntimeOrigins::get`] and [`RuntimeOrigins::on_change`] hand
/// out.
pub mod runtime {
    pub use cors_runtime::runtime_origins::{
        Action, Change, OriginList, RuntimeOrigins, Tenancy, TenantKey, Update,
    };
}

/// A browser's CORS decision, for your tests: would a browser let a page read your API?
///
/// Enable the `testing` feature in `[dev-dependencies]`:
///
/// ```toml
/// [dev-dependencies]
/// route-cors = { version = "0.1", features = ["testing"] }
/// ```
///
/// Describe what the page's script does with a [`CorsRequest`](testing::CorsRequest) and let
/// [`fetch`](testing::fetch) send it to your app through `actix_web::test`, preflight first
/// when a browser would send one. The [`Verdict`](testing::Verdict) follows the Fetch standard's
/// CORS check and CORS-preflight fetch, with Chromium's wording when it blocks:
///
/// ```
/// use actix_web::{App, put, test};
/// use route_cors::cors;
/// use route_cors::testing::{CorsRequest, Credentials, Verdict, fetch};
///
/// #[cors(origins = ["https://app.example.com"], allow_headers = ["content-type"], credentials)]
/// #[put("/items/{id}")]
/// async fn put_item() -> &'static str { "saved" }
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().service(put_item)).await;
///
/// // The page at app.example.com may send JSON with cookies...
/// let json = CorsRequest::new("https://app.example.com", "PUT")
///     .header("content-type", "application/json")
///     .credentials(Credentials::Include);
/// assert_eq!(fetch(&app, "/items/1", &json).await, Verdict::Allowed);
///
/// // ...but not with a header the policy does not list,
/// let other = json.clone().header("x-other", "1");
/// assert_eq!(
///     fetch(&app, "/items/1", &other).await.reason(),
///     Some("Request header field x-other is not allowed by Access-Control-Allow-Headers in preflight response."),
/// );
///
/// // and another site may not call it at all.
/// let evil = CorsRequest::new("https://evil.example", "PUT");
/// assert_eq!(
///     fetch(&app, "/items/1", &evil).await.reason(),
///     Some("Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."),
/// );
/// # });
/// ```
///
/// To send a body or inspect the answers, build the requests with
/// [`preflight_request`](testing::CorsRequest::preflight_request) and
/// [`actual_request`](testing::CorsRequest::actual_request), call the app yourself, and pass
/// the answers ([`Answer::from`](testing::Answer)) to
/// [`CorsRequest::check`](testing::CorsRequest::check).
#[cfg(feature = "testing")]
pub mod testing {
    pub use cors_runtime::runtime_origins::ThisThread;
    pub use cors_runtime::testing::*;
}

/// What generated code uses. Not public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use core::option::Option::{None, Some};
    pub use core::{file, line, module_path};
    pub use cors_runtime::actix::{
        CorsMiddleware, CorsRoute, Guard, HandlerSource, MethodsOrPreflight, register,
        register_wrapped, resource,
    };
    pub use cors_runtime::origin::{OriginPattern, OriginSet};
    pub use cors_runtime::policy::{MaxAge, Names, Origins, Policy};
    pub use cors_runtime::request_headers::AllowHeaders;
}
