//! Authentication composed with `ScopeCors::around(..).scope(..)`: the `#[cors]` routes inside
//! answer their preflights, which skip the authentication, with their own policies; refusals of
//! the authentication are readable; and **nothing but a CORS answer ever runs for a request that
//! skipped the authentication**, whatever shares the path, whatever the registration order, in
//! nested scopes and at App level (DESIGN.md § 1, "No unauthenticated path"): every handler,
//! extractor, default service, file service and middleware inside counts its runs, and requests
//! without credentials, shaped like preflights or drawn at random, must leave every count at 0.

mod common;

use std::cell::RefCell;
use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{
    App, FromRequest, HttpRequest, HttpResponse, Responder, delete, error, get, options, post,
    test, web,
};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use common::{Case, NO_CORS, run};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use route_cors::{Policy, ScopeCors, WithCorsHeaders, cors, policy};

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.example";
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
const TOKEN: &str = "Bearer let-me-in";

const API: Policy = policy!(
    origins = ["https://app.example.com"],
    allow_headers = ["authorization", "content-type"],
    credentials,
    max_age = 600,
);

fn preflight<'a>(origin: &'a str, method: &'a str) -> [(&'a str, &'a str); 2] {
    [
        ("origin", origin),
        ("access-control-request-method", method),
    ]
}

async fn validator(
    req: ServiceRequest,
    token: BearerAuth,
) -> Result<ServiceRequest, (actix_web::Error, ServiceRequest)> {
    if token.token() == "let-me-in" {
        Ok(req)
    } else {
        Err((error::ErrorUnauthorized("bad token"), req))
    }
}

/// Authentication as many apps write it: 401 without `Authorization`.
async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req
        .headers()
        .get("authorization")
        .is_some_and(|v| v == "Bearer let-me-in")
    {
        Ok(next.call(req).await?.map_into_left_body())
    } else {
        Ok(req
            .into_response(HttpResponse::Unauthorized().body("log in first"))
            .map_into_right_body())
    }
}

/// Authentication that rejects with an `Err`, which must stay one.
async fn require_token_err(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.headers().contains_key("authorization") {
        next.call(req).await
    } else {
        Err(error::ErrorUnauthorized("log in first"))
    }
}

thread_local! {
    /// Per test: the tests run in parallel, each on its own thread and runtime.
    static ME_RUNS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cors(API)]
#[get("/me")]
async fn me() -> &'static str {
    ME_RUNS.set(ME_RUNS.get() + 1);
    "ada"
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/me")]
async fn delete_me() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// The cases every authenticated app must pass, wherever the authentication sits.
async fn authenticated_cases<S, B>(app: &S, base: &str)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: MessageBody,
{
    let uri = format!("{base}/me");
    let before = ME_RUNS.get();
    let asks_auth = [
        preflight(APP, "GET")[0],
        preflight(APP, "GET")[1],
        ("access-control-request-headers", "authorization"),
    ];
    run(
        app,
        &[
            Case {
                name: "the preflight skips authentication; the route's policy answers",
                method: "OPTIONS",
                uri: &uri,
                headers: &asks_auth,
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-credentials", Some("true")),
                    ("access-control-allow-methods", Some("GET")),
                    ("access-control-allow-headers", Some("authorization")),
                    ("access-control-max-age", Some("600")),
                    ("vary", Some(PREFLIGHT_VARY)),
                ],
            },
            Case {
                name: "the DELETE route on the same path answers its own preflight",
                method: "OPTIONS",
                uri: &uri,
                headers: &preflight(ADMIN, "DELETE"),
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(ADMIN)),
                    ("access-control-allow-methods", Some("DELETE")),
                ],
            },
            Case {
                name: "a preflight from a refused origin is refused by the route",
                method: "OPTIONS",
                uri: &uri,
                headers: &preflight(EVIL, "GET"),
                status: 403,
                expect: NO_CORS,
            },
            Case {
                name: "no token: the 401 is readable by the allowed page",
                method: "GET",
                uri: &uri,
                headers: &[("origin", APP)],
                status: 401,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-credentials", Some("true")),
                    ("vary", Some("Origin")),
                ],
            },
            Case {
                name: "no token, refused origin: a 401 with no CORS headers",
                method: "GET",
                uri: &uri,
                headers: &[("origin", EVIL)],
                status: 401,
                expect: &[NO_CORS[0], NO_CORS[1], ("vary", Some("Origin"))],
            },
            Case {
                name: "with the token: the route answers",
                method: "GET",
                uri: &uri,
                headers: &[("origin", APP), ("authorization", "Bearer let-me-in")],
                status: 200,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("vary", Some("Origin")),
                ],
            },
            Case {
                name: "with the token, refused origin: the route refuses it",
                method: "GET",
                uri: &uri,
                headers: &[("origin", EVIL), ("authorization", "Bearer let-me-in")],
                status: 403,
                expect: NO_CORS,
            },
        ],
    )
    .await;
    assert_eq!(
        ME_RUNS.get(),
        before + 1,
        "only the authenticated request ran the handler"
    );
}

#[actix_web::test]
async fn bearer_authentication_at_app_level() {
    let app = test::init_service(
        App::new().service(
            ScopeCors::new(API)
                .around(HttpAuthentication::bearer(validator))
                .scope("", |s| s.service(me).service(delete_me)),
        ),
    )
    .await;
    authenticated_cases(&app, "").await;
}

#[actix_web::test]
async fn bearer_authentication_at_scope_level() {
    let app = test::init_service(
        App::new().service(
            ScopeCors::new(API)
                .around(HttpAuthentication::bearer(validator))
                .scope("/api", |s| s.service(me).service(delete_me)),
        ),
    )
    .await;
    authenticated_cases(&app, "/api").await;
}

#[actix_web::test]
async fn from_fn_authentication() {
    let app = test::init_service(
        App::new().service(
            ScopeCors::new(API)
                .around(from_fn(require_token))
                .scope("/api", |s| s.service(me).service(delete_me)),
        ),
    )
    .await;
    authenticated_cases(&app, "/api").await;
}

#[actix_web::test]
async fn without_scope_cors_authentication_answers_the_preflight() {
    // What the issue reported, kept as the contrast: the middleware refuses the preflight
    // before any route sees it.
    let app = test::init_service(
        App::new()
            .wrap(HttpAuthentication::bearer(validator))
            .service(me),
    )
    .await;
    run(
        &app,
        &[Case {
            name: "401, no CORS headers: the browser reports a failed preflight",
            method: "OPTIONS",
            uri: "/me",
            headers: &preflight(APP, "GET"),
            status: 401,
            expect: NO_CORS,
        }],
    )
    .await;
}

#[actix_web::test]
async fn an_authentication_error_stays_an_error_and_renders_readably() {
    let app = test::init_service(
        App::new().service(
            ScopeCors::new(API)
                .around(from_fn(require_token_err))
                .scope("", |s| s.service(me)),
        ),
    )
    .await;
    let req = test::TestRequest::get()
        .uri("/me")
        .insert_header(("origin", APP))
        .to_request();
    let err = test::try_call_service(&app, req)
        .await
        .expect_err("the middleware's Err");
    let wrapped = err
        .as_error::<WithCorsHeaders>()
        .expect("wrapped with CORS headers");
    assert_eq!(wrapped.error().to_string(), "log in first");
    // Rendered twice (an outer error handler, then the server): the headers both times.
    for _ in 0..2 {
        let res = err.error_response();
        assert_eq!(res.status(), 401);
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            APP
        );
        assert_eq!(
            res.headers()
                .get("access-control-allow-credentials")
                .unwrap(),
            "true"
        );
    }
}

// --- No unauthenticated path ------------------------------------------------------------------

thread_local! {
    /// What ran, per test thread: every handler, extractor, default service, file service and
    /// middleware inside the authenticated scope records itself.
    static RAN: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

fn ran(what: &'static str) {
    RAN.with_borrow_mut(|ran| ran.push(what));
}

fn take_runs() -> Vec<&'static str> {
    RAN.with_borrow_mut(std::mem::take)
}

fn ok(what: &'static str) -> HttpResponse {
    ran(what);
    HttpResponse::Ok().body(what)
}

/// An extractor that records that it ran.
struct Counted;

impl FromRequest for Counted {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(_: &HttpRequest, _: &mut Payload) -> Self::Future {
        ran("extractor");
        ready(Ok(Self))
    }
}

#[options("/opt")]
async fn user_options() -> impl Responder {
    ok("#[options] /opt")
}

#[cors(API)]
#[get("/opt")]
async fn opt_get() -> impl Responder {
    ok("#[cors] GET /opt")
}

#[post("/shared")]
async fn shared_post() -> impl Responder {
    ok("unannotated POST /shared")
}

#[cors(API)]
#[get("/shared")]
async fn shared_get(_: Counted) -> impl Responder {
    ok("#[cors] GET /shared")
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/shared")]
async fn shared_delete(_: Counted) -> impl Responder {
    ok("#[cors] DELETE /shared")
}

#[cors(API)]
#[get("/catch")]
async fn catch_get() -> impl Responder {
    ok("#[cors] GET /catch")
}

#[cors(API)]
#[get("/y")]
async fn plain_nested_get() -> impl Responder {
    ok("#[cors] GET /plain/y")
}

#[cors(API)]
#[get("/f")]
async fn framed_get() -> impl Responder {
    ok("#[cors] GET /framed/f")
}

async fn count_inner(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    ran("middleware inside");
    next.call(req).await
}

/// Every kind of service a scope holds, with `user_options` before or after the `#[cors]` route
/// on its path.
fn services(cfg: &mut web::ServiceConfig, options_first: bool, files: &std::path::Path) {
    if options_first {
        cfg.service(user_options).service(opt_get);
    } else {
        cfg.service(opt_get).service(user_options);
    }
    cfg.service(web::resource("/res").to(|| async { ok("Resource::to /res") }))
        .route(
            "/route",
            web::route().to(|| async { ok("web::route /route") }),
        )
        .service(shared_post)
        .service(shared_get)
        .service(shared_delete)
        // A handler for every method, registered before the `#[cors]` route on its path.
        .service(web::resource("/catch").to(|| async { ok("Resource::to /catch") }))
        .service(catch_get)
        .service(
            actix_files::Files::new("/files", files)
                .default_handler(web::to(|| async { ok("Files default handler") })),
        )
        .service(
            web::scope("/plain")
                .route(
                    "/x",
                    web::route().to(|| async { ok("web::route /plain/x") }),
                )
                .service(plain_nested_get),
        )
        .service(ScopeCors::routes_only().scope("/framed", |s| {
            s.service(framed_get).route(
                "/z",
                web::route().to(|| async { ok("web::route /framed/z") }),
            )
        }))
        .default_service(web::to(|| async { ok("default_service") }));
}

/// Paths and preflight methods a `#[cors]` route of [`services`] answers, below the scope.
const ANSWERED: &[(&str, &str)] = &[
    ("/opt", "GET"),
    ("/shared", "GET"),
    ("/shared", "DELETE"),
    ("/catch", "GET"),
    ("/framed/f", "GET"),
];

const PATHS: &[&str] = &[
    "/opt",
    "/res",
    "/route",
    "/shared",
    "/catch",
    "/files/a.txt",
    "/files/missing",
    "/plain/x",
    "/plain/y",
    "/framed",
    "/framed/f",
    "/framed/z",
    "/nowhere",
    "",
    "/",
];

fn files_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("route-cors-auth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), b"file").unwrap();
    dir
}

/// Preflight-shaped requests with no credentials, from an allowed and a refused origin, for
/// every path and method: a `#[cors]` route's answer or the authentication's 401, and nothing
/// else ever runs. Then one authenticated request per service: each runs once.
async fn nothing_runs_without_credentials<S, B>(app: &S, base: &str, refusal: u16)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: MessageBody,
{
    take_runs();
    let mut failures = Vec::new();
    for path in PATHS {
        for origin in [APP, EVIL] {
            for method in ["GET", "POST", "DELETE", "OPTIONS"] {
                let uri = format!("{base}{path}");
                let uri = if uri.is_empty() { "/".to_owned() } else { uri };
                let req = test::TestRequest::default()
                    .method(actix_web::http::Method::OPTIONS)
                    .uri(&uri)
                    .insert_header(("origin", origin))
                    .insert_header(("access-control-request-method", method))
                    .to_request();
                let res = match test::try_call_service(app, req).await {
                    Ok(res) => res.status().as_u16(),
                    Err(err) => err.error_response().status().as_u16(),
                };
                let answered = ANSWERED.contains(&(*path, method));
                let want = match (answered, origin == APP || method == "DELETE") {
                    (false, _) => refusal,
                    // `shared_delete` allows the admin origin only.
                    (true, _) if method == "DELETE" => 403,
                    (true, true) => 204,
                    (true, false) => 403,
                };
                if res != want {
                    failures.push(format!(
                        "OPTIONS {uri} ({origin}, {method}): {res}, not {want}"
                    ));
                }
                let runs = take_runs();
                if !runs.is_empty() {
                    failures.push(format!("OPTIONS {uri} ({origin}, {method}) ran {runs:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));

    // With the token, each service runs, once, after the middleware inside.
    for (method, path, what) in [
        ("OPTIONS", "/opt", "#[options] /opt"),
        ("GET", "/opt", "#[cors] GET /opt"),
        ("OPTIONS", "/res", "Resource::to /res"),
        ("OPTIONS", "/route", "web::route /route"),
        ("POST", "/shared", "unannotated POST /shared"),
        ("GET", "/shared", "#[cors] GET /shared"),
        ("OPTIONS", "/catch", "Resource::to /catch"),
        ("GET", "/files/missing", "Files default handler"),
        ("OPTIONS", "/plain/x", "web::route /plain/x"),
        ("GET", "/plain/y", "#[cors] GET /plain/y"),
        ("OPTIONS", "/framed/z", "web::route /framed/z"),
        ("OPTIONS", "/nowhere", "default_service"),
    ] {
        let req = test::TestRequest::default()
            .method(actix_web::http::Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&format!("{base}{path}"))
            .insert_header(("authorization", TOKEN))
            .to_request();
        let res = test::call_service(app, req).await;
        assert!(
            res.status().is_success(),
            "{method} {path}: {}",
            res.status()
        );
        let runs = take_runs();
        let handler = runs.iter().filter(|r| **r == what).count();
        assert_eq!(handler, 1, "{method} {path} ran {runs:?}");
        assert_eq!(runs[0], "middleware inside", "{method} {path} ran {runs:?}");
    }
}

async fn bearer_scope_app(
    options_first: bool,
) -> impl actix_web::dev::Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    let files = files_dir();
    test::init_service(
        App::new().service(
            ScopeCors::new(API)
                .around(HttpAuthentication::bearer(validator))
                .scope("/api", move |s| {
                    s.wrap(from_fn(count_inner))
                        .configure(|cfg| services(cfg, options_first, &files))
                }),
        ),
    )
    .await
}

#[actix_web::test]
async fn nothing_but_a_cors_answer_runs_without_credentials_at_scope_level() {
    for options_first in [true, false] {
        let app = bearer_scope_app(options_first).await;
        nothing_runs_without_credentials(&app, "/api", 401).await;
    }
}

#[actix_web::test]
async fn nothing_but_a_cors_answer_runs_without_credentials_at_app_level() {
    for options_first in [true, false] {
        let files = files_dir();
        let app = test::init_service(
            App::new().service(
                ScopeCors::routes_only()
                    .around(from_fn(require_token))
                    .scope("", move |s| {
                        s.wrap(from_fn(count_inner))
                            .configure(|cfg| services(cfg, options_first, &files))
                    }),
            ),
        )
        .await;
        nothing_runs_without_credentials(&app, "", 401).await;
    }
}

#[actix_web::test]
async fn the_refusal_of_a_request_shaped_like_a_preflight_is_readable() {
    let app = bearer_scope_app(true).await;
    run(
        &app,
        &[
            Case {
                name: "a #[cors] route's preflight: its own answer, without the token",
                method: "OPTIONS",
                uri: "/api/shared",
                headers: &preflight(ADMIN, "DELETE"),
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(ADMIN)),
                    ("access-control-allow-methods", Some("DELETE")),
                    ("vary", Some(PREFLIGHT_VARY)),
                ],
            },
            Case {
                name: "no #[cors] route answers it: the 401 carries the scope policy's headers",
                method: "OPTIONS",
                uri: "/api/res",
                headers: &preflight(APP, "GET"),
                status: 401,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-credentials", Some("true")),
                    ("access-control-allow-methods", None),
                ],
            },
            Case {
                name: "...and none from a refused origin",
                method: "OPTIONS",
                uri: "/api/res",
                headers: &preflight(EVIL, "GET"),
                status: 401,
                expect: NO_CORS,
            },
            Case {
                name: "a #[cors] route in a plain nested scope is not in the table: through the \
                       authentication",
                method: "OPTIONS",
                uri: "/api/plain/y",
                headers: &preflight(APP, "GET"),
                status: 401,
                expect: &[("access-control-allow-methods", None)],
            },
        ],
    )
    .await;
    assert!(take_runs().is_empty());
}

#[actix_web::test]
async fn a_route_in_a_scope_the_table_cannot_see_is_named_in_a_warning() {
    common::capture_logs();
    let _app = bearer_scope_app(false).await;
    let lines = common::logs_with("`plain_nested_get` (/y)");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("WARN") && l.contains("ScopeCors::routes_only().scope")),
        "{lines:?}"
    );
    assert!(
        common::logs_with("`framed_get`").is_empty(),
        "a framed route is seen"
    );
}

// --- Property: random requests without credentials --------------------------------------------

/// One request without valid credentials: any method, `Origin`, `Access-Control-Request-*`,
/// wrong `Authorization`, any path of the app with a suffix.
/// A request line (`METHOD /path`) and its headers.
type Shaped = (String, Vec<(&'static str, Vec<u8>)>);

fn unauthenticated() -> impl Strategy<Value = Vec<Shaped>> {
    let method = prop::sample::select(vec![
        "OPTIONS", "OPTIONS", "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE",
        "X-CUSTOM",
    ]);
    let value = |values: Vec<&'static [u8]>| prop::option::of(prop::sample::select(values));
    let origin = value(vec![
        APP.as_bytes(),
        EVIL.as_bytes(),
        b"null",
        b"https://app.example.com.evil.net",
        b"\xff\xfe",
        b"",
    ]);
    let request_method = value(vec![
        b"GET", b"POST", b"DELETE", b"OPTIONS", b"get", b"PUT", b" GET",
    ]);
    let request_headers = value(vec![
        b"authorization",
        b"content-type, x-other",
        b"\x80",
        b",",
    ]);
    let auth = value(vec![
        b"Bearer wrong",
        b"Basic bGV0LW1lLWlu",
        b"bearer let-me-in",
    ]);
    let path = prop::sample::select(PATHS.to_vec());
    let suffix = prop::sample::select(vec!["", "/", "/x", "?q=1", "%2F..", "//"]);
    (
        method,
        origin,
        request_method,
        request_headers,
        auth,
        path,
        suffix,
    )
        .prop_map(
            |(method, origin, request_method, request_headers, auth, path, suffix)| {
                let headers = [
                    ("origin", origin),
                    ("access-control-request-method", request_method),
                    ("access-control-request-headers", request_headers),
                    ("authorization", auth),
                ]
                .into_iter()
                .filter_map(|(name, value)| value.map(|v| (name, v.to_vec())))
                .collect();
                vec![(format!("{method} /api{path}{suffix}"), headers)]
            },
        )
}

#[actix_web::test]
async fn no_request_without_credentials_runs_anything_inside() {
    let app = bearer_scope_app(true).await;
    let strategy = unauthenticated();
    let mut runner = TestRunner::deterministic();
    take_runs();
    for _ in 0..1000 {
        let requests = strategy.new_tree(&mut runner).unwrap().current();
        for (line, headers) in requests {
            let (method, uri) = line.split_once(' ').unwrap();
            let mut req = test::TestRequest::default()
                .method(actix_web::http::Method::from_bytes(method.as_bytes()).unwrap())
                .uri(uri);
            for (name, value) in &headers {
                req = req.append_header((
                    HeaderName::from_static(name),
                    HeaderValue::from_bytes(value).unwrap(),
                ));
            }
            let status = match test::try_call_service(&app, req.to_request()).await {
                Ok(res) => res.status().as_u16(),
                Err(err) => err.error_response().status().as_u16(),
            };
            let runs = take_runs();
            assert!(runs.is_empty(), "{line} {headers:?} ran {runs:?}");
            // 404: outside the scope (`/api%2F..`), from the app's own default.
            assert!(
                [204, 401, 403, 404].contains(&status),
                "{line} {headers:?}: {status}"
            );
        }
    }
}

// --- The route's guards decide, as the router would --------------------------------------------

fn is_admin_host(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("host")
        .is_some_and(|h| h == "admin.example.com")
}

fn is_api_host(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("host")
        .is_some_and(|h| h == "api.example.com")
}

fn has_api_key(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head().headers.contains_key("x-api-key")
}

#[cors(origins = ["https://admin.example.com"], credentials)]
#[get("/tenant", guard = "is_admin_host")]
async fn admin_tenant() -> impl Responder {
    ok("admin tenant")
}

#[cors(API)]
#[get("/tenant", guard = "is_api_host")]
async fn any_tenant() -> impl Responder {
    ok("any tenant")
}

#[cors(API, preflights_skip_guards)]
#[post("/keyed", guard = "has_api_key")]
async fn keyed() -> impl Responder {
    ok("keyed")
}

#[actix_web::test]
async fn the_table_honours_the_routes_guards_in_both_orders() {
    for admin_first in [true, false] {
        let app = test::init_service(
            App::new().service(
                ScopeCors::routes_only()
                    .around(HttpAuthentication::bearer(validator))
                    .scope("/api", move |s| {
                        let s = s.service(keyed);
                        if admin_first {
                            s.service(admin_tenant).service(any_tenant)
                        } else {
                            s.service(any_tenant).service(admin_tenant)
                        }
                    }),
            ),
        )
        .await;
        let admin_host = [
            preflight(ADMIN, "GET")[0],
            preflight(ADMIN, "GET")[1],
            ("host", "admin.example.com"),
        ];
        let other_host = [
            preflight(ADMIN, "GET")[0],
            preflight(ADMIN, "GET")[1],
            ("host", "api.example.com"),
        ];
        run(
            &app,
            &[
                Case {
                    name: "the admin host: the guarded route answers, with credentials",
                    method: "OPTIONS",
                    uri: "/api/tenant",
                    headers: &admin_host,
                    status: 204,
                    expect: &[
                        ("access-control-allow-origin", Some(ADMIN)),
                        ("access-control-allow-credentials", Some("true")),
                    ],
                },
                Case {
                    name: "the API host: its route answers, and refuses the admin origin",
                    method: "OPTIONS",
                    uri: "/api/tenant",
                    headers: &other_host,
                    status: 403,
                    expect: NO_CORS,
                },
                Case {
                    name: "a third host: no route, so through the authentication",
                    method: "OPTIONS",
                    uri: "/api/tenant",
                    headers: &[
                        preflight(ADMIN, "GET")[0],
                        preflight(ADMIN, "GET")[1],
                        ("host", "other.example.com"),
                    ],
                    status: 401,
                    expect: NO_CORS,
                },
                Case {
                    name: "a guard on what only the actual request carries, skipped by preflights",
                    method: "OPTIONS",
                    uri: "/api/keyed",
                    headers: &preflight(APP, "POST"),
                    status: 204,
                    expect: &[("access-control-allow-origin", Some(APP))],
                },
            ],
        )
        .await;
        assert!(take_runs().is_empty());
    }
}

#[actix_web::test]
async fn a_route_that_cannot_receive_the_credentials_its_scope_asks_for_is_named() {
    common::capture_logs();
    let _app = bearer_scope_app(true).await;
    // `API`, the scope's policy, allows `authorization`; `shared_delete`'s policy does not.
    let lines = common::logs_with("`shared_delete` (/shared) is behind ScopeCors::around");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("WARN") && l.contains("add \"authorization\"")),
        "{lines:?}"
    );
    assert!(common::logs_with("`shared_get` (/shared) is behind").is_empty());
}

#[cors(API)]
#[get("/keyed", guard = "has_api_key")]
async fn keyed_strict() -> impl Responder {
    ok("keyed strict")
}

/// A route whose guard refuses its own preflight is not found in the table: the preflight goes
/// through the authentication, and a `debug` line names the route and the way out.
#[actix_web::test]
async fn a_preflight_a_routes_own_guard_refuses_is_logged_with_its_pattern() {
    common::capture_logs();
    let app = test::init_service(
        App::new().service(
            ScopeCors::routes_only()
                .around(from_fn(require_token))
                .scope("/guarded", |s| s.service(keyed_strict)),
        ),
    )
    .await;
    let req = test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/guarded/keyed?from=guard-test")
        .insert_header(("origin", APP))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header(("access-control-request-headers", "x-api-key"))
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status().as_u16(), 401);
    let lines = common::logs_with("preflight to `keyed_strict`");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("DEBUG") && lines[0].contains("preflights_skip_guards"),
        "{lines:?}"
    );
    assert!(take_runs().is_empty());
}

/// No `authorization` in its policy, and so none to give a middleware that reads it.
#[cors(origins = ["https://app.example.com"])]
#[get("/quiet")]
async fn quiet_without_around() -> impl Responder {
    ok("quiet")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/quiet")]
async fn quiet_under_a_plain_policy() -> impl Responder {
    ok("quiet")
}

/// The warning of the test above is for a scope that skips a middleware *and* whose policy
/// allows `authorization`, and for no other: a scope without `around` has no middleware to
/// starve, and one whose own policy does not allow the header asks for nothing the route lacks.
#[actix_web::test]
async fn no_warning_without_around_or_without_authorization_in_the_scope_policy() {
    const PLAIN: Policy = policy!(origins = ["https://app.example.com"]);
    common::capture_logs();
    let _app = test::init_service(
        App::new()
            .service(
                ScopeCors::new(API).scope("/without-around", |s| s.service(quiet_without_around)),
            )
            .service(
                ScopeCors::new(PLAIN)
                    .around(from_fn(require_token))
                    .scope("/plain", |s| s.service(quiet_under_a_plain_policy)),
            ),
    )
    .await;
    for route in ["quiet_without_around", "quiet_under_a_plain_policy"] {
        let lines = common::logs_with(&format!("`{route}` (/quiet) is behind"));
        assert!(lines.is_empty(), "{lines:?}");
    }
}

#[cors(API)]
#[get("/other")]
async fn other_route() -> impl Responder {
    ok("other")
}

/// The `debug` line is for the route whose own guard refused the preflight, and only for it: a
/// preflight to another path, or asking for a method the guarded route does not serve, names
/// no route.
#[actix_web::test]
async fn only_the_route_whose_guard_refused_is_named() {
    common::capture_logs();
    let app = test::init_service(
        App::new().service(
            ScopeCors::routes_only()
                .around(from_fn(require_token))
                .scope("/named", |s| s.service(keyed_strict).service(other_route)),
        ),
    )
    .await;
    for (uri, method) in [
        // Another path: the guarded route does not match it.
        ("/named/other?from=named-test", "DELETE"),
        // The guarded route's path, but a method it does not serve.
        ("/named/keyed?from=named-test", "DELETE"),
    ] {
        let req = test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri(uri)
            .insert_header(("origin", APP))
            .insert_header(("access-control-request-method", method))
            .to_request();
        assert_eq!(test::call_service(&app, req).await.status().as_u16(), 401);
    }
    let lines = common::logs_with("preflight to `keyed_strict`");
    assert!(lines.iter().all(|l| !l.contains("/named/")), "{lines:?}");
    assert!(take_runs().is_empty());
}
