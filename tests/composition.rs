//! `#[cors]` routes inside the apps real applications are: route guards, the application's own
//! `OPTIONS` handlers in both registration orders, `App::configure`, `NormalizePath`,
//! `Compress`, sessions, static files, default services, and authentication at App and scope
//! level (actix-web-httpauth's `HttpAuthentication::bearer` and a `middleware::from_fn`), with
//! and without `ScopeCors`. Every case: exact status and headers. DESIGN.md § 1 and § 3.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionMiddleware};
use actix_web::body::MessageBody;
use actix_web::cookie::Key;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::guard::GuardContext;
use actix_web::middleware::{Compress, Next, NormalizePath, TrailingSlash, from_fn};
use actix_web::{
    App, HttpResponse, Responder, delete, error, get, options, post, route, test, web,
};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use common::{Case, NO_CORS, run};
use route_cors::{Policy, ScopeCors, WithCorsHeaders, cors, policy};

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.example";
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

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

// --- Route guards decide which route answers a preflight -------------------------------------

fn is_admin_host(ctx: &GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("host")
        .is_some_and(|h| h == "admin.example.com")
}

fn is_app_host(ctx: &GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("host")
        .is_some_and(|h| h == "api.example.com")
}

#[cors(origins = ["https://admin.example.com"], credentials)]
#[post("/tenant", guard = "is_admin_host")]
async fn admin_tenant() -> &'static str {
    "admin"
}

#[cors(origins = ["https://app.example.com"])]
#[post("/tenant", guard = "is_app_host")]
async fn app_tenant() -> &'static str {
    "app"
}

#[actix_web::test]
async fn route_guards_decide_which_route_answers_a_preflight() {
    // Both registration orders: the answer must not depend on it.
    for reversed in [false, true] {
        let app = if reversed {
            App::new().service(app_tenant).service(admin_tenant)
        } else {
            App::new().service(admin_tenant).service(app_tenant)
        };
        let app = test::init_service(app).await;
        let admin = [
            ("host", "admin.example.com"),
            preflight(ADMIN, "POST")[0],
            preflight(ADMIN, "POST")[1],
        ];
        let app_host = [
            ("host", "api.example.com"),
            preflight(APP, "POST")[0],
            preflight(APP, "POST")[1],
        ];
        let app_origin_on_admin_host = [
            ("host", "admin.example.com"),
            preflight(APP, "POST")[0],
            preflight(APP, "POST")[1],
        ];
        let nobodys_host = [
            ("host", "other.example.com"),
            preflight(APP, "POST")[0],
            preflight(APP, "POST")[1],
        ];
        run(
            &app,
            &[
                Case {
                    name: "the admin host's route answers with its policy",
                    method: "OPTIONS",
                    uri: "/tenant",
                    headers: &admin,
                    status: 204,
                    expect: &[
                        ("access-control-allow-origin", Some(ADMIN)),
                        ("access-control-allow-credentials", Some("true")),
                        ("access-control-allow-methods", Some("POST")),
                    ],
                },
                Case {
                    name: "the app host's route answers with its own",
                    method: "OPTIONS",
                    uri: "/tenant",
                    headers: &app_host,
                    status: 204,
                    expect: &[
                        ("access-control-allow-origin", Some(APP)),
                        ("access-control-allow-credentials", None),
                    ],
                },
                Case {
                    name: "the admin route refuses the app's origin",
                    method: "OPTIONS",
                    uri: "/tenant",
                    headers: &app_origin_on_admin_host,
                    status: 403,
                    expect: NO_CORS,
                },
                Case {
                    name: "a host no route serves gets no CORS answer",
                    method: "OPTIONS",
                    uri: "/tenant",
                    headers: &nobodys_host,
                    status: 404,
                    expect: NO_CORS,
                },
                Case {
                    name: "the actual request goes to its host's route",
                    method: "POST",
                    uri: "/tenant",
                    headers: &[("host", "api.example.com"), ("origin", APP)],
                    status: 200,
                    expect: &[("access-control-allow-origin", Some(APP))],
                },
            ],
        )
        .await;
    }
}

/// A guard on a header only the actual request carries: its preflight names the header in
/// `Access-Control-Request-Headers` but does not carry it.
fn has_api_key(ctx: &GuardContext<'_>) -> bool {
    ctx.head().headers.contains_key("x-api-key")
}

#[cors(origins = ["https://app.example.com"], allow_headers = ["x-api-key"])]
#[get("/keyed", guard = "has_api_key")]
async fn keyed_strict() -> &'static str {
    "keyed"
}

#[cors(
    origins = ["https://app.example.com"],
    allow_headers = ["x-api-key"],
    preflights_skip_guards,
)]
#[get("/keyed-open", guard = "has_api_key")]
async fn keyed_open() -> &'static str {
    "keyed"
}

#[actix_web::test]
async fn preflights_can_skip_a_guard_on_what_only_the_actual_request_carries() {
    let app = test::init_service(App::new().service(keyed_strict).service(keyed_open)).await;
    let asks = [
        preflight(APP, "GET")[0],
        preflight(APP, "GET")[1],
        ("access-control-request-headers", "x-api-key"),
    ];
    run(
        &app,
        &[
            Case {
                name: "by default the guard refuses the preflight too",
                method: "OPTIONS",
                uri: "/keyed",
                headers: &asks,
                status: 404,
                expect: NO_CORS,
            },
            Case {
                name: "preflights_skip_guards: answered",
                method: "OPTIONS",
                uri: "/keyed-open",
                headers: &asks,
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-headers", Some("x-api-key")),
                ],
            },
            Case {
                name: "...and the guard still applies to actual requests",
                method: "GET",
                uri: "/keyed-open",
                headers: &[("origin", APP)],
                status: 404,
                expect: NO_CORS,
            },
            Case {
                name: "an actual request with the header",
                method: "GET",
                uri: "/keyed-open",
                headers: &[("origin", APP), ("x-api-key", "k")],
                status: 200,
                expect: &[("access-control-allow-origin", Some(APP))],
            },
        ],
    )
    .await;
}

// --- OPTIONS handlers of the route and of the application -------------------------------------

static OWN_OPTIONS_RUNS: AtomicUsize = AtomicUsize::new(0);

/// A route whose own methods include OPTIONS.
#[cors(origins = ["https://app.example.com"])]
#[route("/with-options", method = "GET", method = "OPTIONS")]
async fn with_options() -> impl Responder {
    OWN_OPTIONS_RUNS.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok()
        .insert_header(("allow", "GET, OPTIONS"))
        .body("own")
}

#[actix_web::test]
async fn a_route_with_its_own_options_method_still_answers_preflights() {
    let app = test::init_service(App::new().service(with_options)).await;
    let before = OWN_OPTIONS_RUNS.load(Ordering::SeqCst);
    run(
        &app,
        &[
            Case {
                name: "a preflight for GET: answered by the policy, not the handler",
                method: "OPTIONS",
                uri: "/with-options",
                headers: &preflight(APP, "GET"),
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-methods", Some("GET, OPTIONS")),
                    ("allow", None),
                ],
            },
            Case {
                name: "a preflight for a method the route lacks is not its to answer",
                method: "OPTIONS",
                uri: "/with-options",
                headers: &preflight(APP, "PUT"),
                status: 404,
                expect: NO_CORS,
            },
        ],
    )
    .await;
    assert_eq!(
        OWN_OPTIONS_RUNS.load(Ordering::SeqCst),
        before,
        "a preflight ran the handler"
    );
    run(
        &app,
        &[Case {
            name: "a plain OPTIONS request reaches the handler",
            method: "OPTIONS",
            uri: "/with-options",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[
                ("allow", Some("GET, OPTIONS")),
                ("access-control-allow-origin", Some(APP)),
            ],
        }],
    )
    .await;
    assert_eq!(OWN_OPTIONS_RUNS.load(Ordering::SeqCst), before + 1);
}

#[cors(origins = ["https://app.example.com"])]
#[delete("/things/{id}")]
async fn delete_thing() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// The application's own OPTIONS handler on the same path, not annotated.
#[options("/things/{id}")]
async fn things_options() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("allow", "DELETE, OPTIONS"))
        .body("own options")
}

#[actix_web::test]
async fn the_applications_own_options_handler_in_both_orders() {
    // `#[cors]` route first: it answers its preflights, the handler gets the other OPTIONS.
    let cors_first =
        test::init_service(App::new().service(delete_thing).service(things_options)).await;
    run(
        &cors_first,
        &[
            Case {
                name: "cors route first: the preflight is the route's",
                method: "OPTIONS",
                uri: "/things/1",
                headers: &preflight(APP, "DELETE"),
                status: 204,
                expect: &[
                    ("access-control-allow-methods", Some("DELETE")),
                    ("allow", None),
                ],
            },
            Case {
                name: "cors route first: a plain OPTIONS is the handler's",
                method: "OPTIONS",
                uri: "/things/1",
                headers: &[],
                status: 200,
                expect: &[("allow", Some("DELETE, OPTIONS")), NO_CORS[0]],
            },
        ],
    )
    .await;
    // The OPTIONS handler first: as with any two actix-web resources on a path, the first whose
    // guards accept a request serves it, and an OPTIONS handler accepts every OPTIONS request,
    // preflights included (documented: register `#[cors]` routes before your OPTIONS handler).
    let options_first =
        test::init_service(App::new().service(things_options).service(delete_thing)).await;
    run(
        &options_first,
        &[Case {
            name: "OPTIONS handler first: it answers the preflight itself",
            method: "OPTIONS",
            uri: "/things/1",
            headers: &preflight(APP, "DELETE"),
            status: 200,
            expect: &[("allow", Some("DELETE, OPTIONS")), NO_CORS[0]],
        }],
    )
    .await;
}

// --- configure, NormalizePath, Compress, scopes -------------------------------------------------

#[cors(origins = ["https://app.example.com"], expose_headers = ["x-request-id"])]
#[get("/configured/{id}")]
async fn configured(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", id.to_string()))
        .body("x".repeat(2048))
}

static SCOPE_MIDDLEWARE_RUNS: AtomicUsize = AtomicUsize::new(0);

async fn counting(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    SCOPE_MIDDLEWARE_RUNS.fetch_add(1, Ordering::SeqCst);
    next.call(req).await
}

#[actix_web::test]
async fn configure_normalize_path_compress_and_scope_middleware() {
    let app = test::init_service(
        App::new()
            .wrap(Compress::default())
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .service(web::scope("/v1").wrap(from_fn(counting)).configure(|cfg| {
                cfg.service(configured);
            })),
    )
    .await;
    let before = SCOPE_MIDDLEWARE_RUNS.load(Ordering::SeqCst);
    run(
        &app,
        &[
            Case {
                name: "preflight through configure, a trailing slash and scope middleware",
                method: "OPTIONS",
                uri: "/v1/configured/7/",
                headers: &preflight(APP, "GET"),
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("vary", Some(PREFLIGHT_VARY)),
                ],
            },
            Case {
                name: "compressed actual response: both Vary values, CORS headers kept",
                method: "GET",
                uri: "/v1/configured/7/",
                headers: &[("origin", APP), ("accept-encoding", "gzip")],
                status: 200,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-expose-headers", Some("x-request-id")),
                    ("content-encoding", Some("gzip")),
                    ("vary", Some("Origin, accept-encoding")),
                ],
            },
        ],
    )
    .await;
    // Scope middleware that does not reject sees preflights too: it runs before routing.
    assert_eq!(SCOPE_MIDDLEWARE_RUNS.load(Ordering::SeqCst), before + 2);
}

// --- Sessions and credentials ------------------------------------------------------------------

#[cors(origins = ["https://app.example.com"], credentials)]
#[post("/login")]
async fn login(session: Session) -> actix_web::Result<&'static str> {
    session.insert("user", "ada")?;
    Ok("logged in")
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/whoami")]
async fn whoami(session: Session) -> actix_web::Result<String> {
    Ok(session.get::<String>("user")?.unwrap_or_default())
}

#[actix_web::test]
async fn session_cookies_with_credentials() {
    let app = test::init_service(
        App::new()
            .wrap(
                SessionMiddleware::builder(CookieSessionStore::default(), Key::from(&[7; 64]))
                    .cookie_secure(false)
                    .build(),
            )
            .service(login)
            .service(whoami),
    )
    .await;
    let res = test::call_service(
        &app,
        test::TestRequest::post()
            .uri("/login")
            .insert_header(("origin", APP))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("access-control-allow-credentials")
            .unwrap(),
        "true"
    );
    assert_eq!(
        res.headers().get("access-control-allow-origin").unwrap(),
        APP
    );
    let cookie = res
        .response()
        .cookies()
        .next()
        .expect("a session cookie")
        .into_owned();
    let res = test::call_service(
        &app,
        test::TestRequest::get()
            .uri("/whoami")
            .insert_header(("origin", APP))
            .cookie(cookie)
            .to_request(),
    )
    .await;
    assert_eq!(
        res.headers().get("access-control-allow-origin").unwrap(),
        APP
    );
    assert_eq!(test::read_body(res).await, "ada");
}

// --- Authentication at App and scope level ---------------------------------------------------

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
        App::new()
            .wrap(ScopeCors::new(API).around(HttpAuthentication::bearer(validator)))
            .service(me)
            .service(delete_me),
    )
    .await;
    authenticated_cases(&app, "").await;
}

#[actix_web::test]
async fn bearer_authentication_at_scope_level() {
    let app = test::init_service(
        App::new().service(
            web::scope("/api")
                .wrap(ScopeCors::new(API).around(HttpAuthentication::bearer(validator)))
                .service(me)
                .service(delete_me),
        ),
    )
    .await;
    authenticated_cases(&app, "/api").await;
}

#[actix_web::test]
async fn from_fn_authentication() {
    let app = test::init_service(
        App::new().service(
            web::scope("/api")
                .wrap(ScopeCors::new(API).around(from_fn(require_token)))
                .service(me)
                .service(delete_me),
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
        App::new()
            .wrap(ScopeCors::new(API).around(from_fn(require_token_err)))
            .service(me),
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

// --- Scope-wide policies: static files, default services, routes_only ------------------------

const ASSETS: Policy = policy!(origins = ["https://app.example.com", "https://*.example.com"]);

static OPEN_RUNS: AtomicUsize = AtomicUsize::new(0);

/// A handler that is not annotated and takes every method.
async fn any_method() -> impl Responder {
    OPEN_RUNS.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok()
        .insert_header(("access-control-allow-origin", "*"))
        .body("secret")
}

/// Not annotated, and reflecting any origin itself.
async fn reflecting(req: actix_web::HttpRequest) -> impl Responder {
    let origin = req.headers().get("origin").cloned();
    let mut res = HttpResponse::Ok();
    if let Some(origin) = origin {
        res.insert_header(("access-control-allow-origin", origin));
    }
    res.insert_header(("access-control-allow-credentials", "true"));
    res.body("reflected")
}

#[cors(origins = ["https://admin.example.com"])]
#[get("/report")]
async fn report() -> &'static str {
    "report"
}

#[actix_web::test]
async fn a_scope_wide_policy_covers_static_files_and_default_services() {
    let dir = std::env::temp_dir().join(format!("route-cors-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("font.woff2"), b"font").unwrap();
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/assets")
                    .wrap(ScopeCors::new(ASSETS))
                    .service(report)
                    .route("/reflecting", web::get().to(reflecting))
                    .service(actix_files::Files::new("/", &dir)),
            )
            .default_service(web::to(|| async { HttpResponse::NotFound().body("none") })),
    )
    .await;
    run(
        &app,
        &[
            Case {
                name: "a static file from an allowed origin",
                method: "GET",
                uri: "/assets/font.woff2",
                headers: &[("origin", "https://cdn.example.com")],
                status: 200,
                expect: &[
                    (
                        "access-control-allow-origin",
                        Some("https://cdn.example.com"),
                    ),
                    ("access-control-allow-credentials", None),
                    ("vary", Some("Origin")),
                ],
            },
            Case {
                name: "a static file from a refused origin: served, not readable",
                method: "GET",
                uri: "/assets/font.woff2",
                headers: &[("origin", EVIL)],
                status: 200,
                expect: &[NO_CORS[0], ("vary", Some("Origin"))],
            },
            Case {
                name: "an unannotated handler's own CORS headers: the scope policy's replace them",
                method: "GET",
                uri: "/assets/reflecting",
                headers: &[("origin", APP)],
                status: 200,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-credentials", None),
                ],
            },
            Case {
                name: "...and for a refused origin, removes them",
                method: "GET",
                uri: "/assets/reflecting",
                headers: &[("origin", EVIL)],
                status: 200,
                expect: &[NO_CORS[0], NO_CORS[1], ("vary", Some("Origin"))],
            },
            Case {
                name: "a preflight for a static file: the scope policy answers",
                method: "OPTIONS",
                uri: "/assets/font.woff2",
                headers: &preflight(APP, "GET"),
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-methods", Some("GET, HEAD")),
                    ("vary", Some(PREFLIGHT_VARY)),
                ],
            },
            Case {
                name: "a #[cors] route inside keeps its own policy (preflight)",
                method: "OPTIONS",
                uri: "/assets/report",
                headers: &preflight(APP, "GET"),
                status: 403,
                expect: NO_CORS,
            },
            Case {
                name: "a #[cors] route inside keeps its own policy (actual)",
                method: "GET",
                uri: "/assets/report",
                headers: &[("origin", ADMIN)],
                status: 200,
                expect: &[("access-control-allow-origin", Some(ADMIN))],
            },
            Case {
                name: "...and its refusals",
                method: "GET",
                uri: "/assets/report",
                headers: &[("origin", APP)],
                status: 403,
                expect: NO_CORS,
            },
            Case {
                name: "outside the scope: no CORS at all",
                method: "GET",
                uri: "/elsewhere",
                headers: &[("origin", APP)],
                status: 404,
                expect: &[NO_CORS[0], ("vary", None)],
            },
        ],
    )
    .await;
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A route whose guard refuses its own preflight answers none; under `routes_only().around`
/// the 403 is logged at `debug`, with the full pattern and the way out.
#[actix_web::test]
async fn a_preflight_no_route_answers_is_logged_with_its_pattern() {
    common::capture_logs();
    let app = test::init_service(
        App::new().service(
            web::scope("/guarded")
                .wrap(ScopeCors::routes_only().around(from_fn(require_token)))
                .service(keyed_strict),
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
    assert_eq!(test::call_service(&app, req).await.status().as_u16(), 403);
    assert_eq!(
        common::logs_with("preflight to /guarded/keyed refused"),
        [
            "DEBUG preflight to /guarded/keyed refused: no #[cors] route answers it (a route whose \
          own `guard = ...` refuses its preflights answers none: see `preflights_skip_guards`)"
        ]
    );
}

#[actix_web::test]
async fn preflights_that_skipped_authentication_never_get_an_unannotated_answer() {
    let app = test::init_service(
        App::new()
            .wrap(ScopeCors::routes_only().around(from_fn(require_token)))
            .service(me)
            .service(web::resource("/open").to(any_method))
            .default_service(web::to(any_method)),
    )
    .await;
    let before = OPEN_RUNS.load(Ordering::SeqCst);
    run(
        &app,
        &[
            Case {
                name: "the #[cors] route answers its preflight",
                method: "OPTIONS",
                uri: "/me",
                headers: &preflight(APP, "GET"),
                status: 204,
                expect: &[("access-control-allow-origin", Some(APP))],
            },
            Case {
                name: "an any-method handler's answer to an unauthenticated preflight is never sent",
                method: "OPTIONS",
                uri: "/open",
                headers: &preflight(EVIL, "GET"),
                status: 403,
                expect: NO_CORS,
            },
            Case {
                name: "nor the default service's",
                method: "OPTIONS",
                uri: "/nowhere",
                headers: &preflight(EVIL, "GET"),
                status: 403,
                expect: NO_CORS,
            },
            Case {
                name: "an actual request to the handler is authenticated",
                method: "GET",
                uri: "/open",
                headers: &[("origin", EVIL)],
                status: 401,
                expect: NO_CORS,
            },
        ],
    )
    .await;
    // The documented limit: such a handler did run (twice) before its answer was dropped.
    assert_eq!(OPEN_RUNS.load(Ordering::SeqCst), before + 2);
}

#[actix_web::test]
async fn nested_scope_policies_the_innermost_answers() {
    const OUTER: Policy = policy!(origins = ["https://outer.test"]);
    let app = test::init_service(
        App::new()
            .wrap(ScopeCors::new(OUTER))
            .service(
                web::scope("/inner")
                    .wrap(ScopeCors::new(ASSETS))
                    .default_service(web::to(|| async { HttpResponse::Ok().body("inner") })),
            )
            .default_service(web::to(|| async { HttpResponse::Ok().body("outer") })),
    )
    .await;
    run(
        &app,
        &[
            Case {
                name: "inner scope: its own policy",
                method: "GET",
                uri: "/inner/x",
                headers: &[("origin", APP)],
                status: 200,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("vary", Some("Origin")),
                ],
            },
            Case {
                name: "inner scope: the outer policy's origin is refused there",
                method: "GET",
                uri: "/inner/x",
                headers: &[("origin", "https://outer.test")],
                status: 200,
                expect: &[NO_CORS[0], ("vary", Some("Origin"))],
            },
            Case {
                name: "outer scope: the outer policy",
                method: "GET",
                uri: "/x",
                headers: &[("origin", "https://outer.test")],
                status: 200,
                expect: &[("access-control-allow-origin", Some("https://outer.test"))],
            },
        ],
    )
    .await;
}
