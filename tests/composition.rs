//! `#[cors]` routes inside the apps real applications are: route guards, the application's own
//! `OPTIONS` handlers in both registration orders, `App::configure`, `NormalizePath`,
//! `Compress`, scope middleware and sessions. Every case: exact status and headers. DESIGN.md
//! § 1 and § 3. Authentication is in `authentication.rs`, scope-wide policies in
//! `scope_policy.rs`.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionMiddleware};
use actix_web::body::MessageBody;
use actix_web::cookie::Key;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::guard::GuardContext;
use actix_web::middleware::{Compress, Next, NormalizePath, TrailingSlash, from_fn};
use actix_web::{App, HttpResponse, Responder, delete, get, options, post, route, test, web};
use common::{Case, NO_CORS, run};
use route_cors::cors;

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

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
