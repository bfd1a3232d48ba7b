//! Preflights: answered by the route whose method the browser asks for, without running its
//! extractors, handler or middleware. DESIGN.md § 3, table-driven.

mod common;

use std::cell::Cell;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpResponse, Responder, delete, get, options, route, routes, test, web};
use common::{Case, NO_CORS, run};
use route_cors::cors;

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

thread_local! {
    /// Runs of `get_item`'s handler and of its middleware on this thread. `#[actix_web::test]`
    /// serves the app on the test's own thread, so each test counts its own requests alone while
    /// the others run in parallel.
    static HANDLER_RUNS: Cell<usize> = const { Cell::new(0) };
    static MIDDLEWARE_RUNS: Cell<usize> = const { Cell::new(0) };
}

/// Both counts, read on this thread.
fn runs() -> (usize, usize) {
    (HANDLER_RUNS.get(), MIDDLEWARE_RUNS.get())
}

async fn counting(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    MIDDLEWARE_RUNS.set(MIDDLEWARE_RUNS.get() + 1);
    next.call(req).await
}

#[cors(
    origins = ["https://app.example.com"],
    allow_headers = ["content-type", "x-api-key"],
    credentials,
    max_age = 600,
)]
#[get("/items/{id}", wrap = "from_fn(counting)")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    HANDLER_RUNS.set(HANDLER_RUNS.get() + 1);
    format!("item {id}")
}

/// Same path, another method, another policy.
#[cors(origins = ["https://admin.example.com"])]
#[delete("/items/{id}")]
async fn delete_item() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// The application's own OPTIONS handler on that path: plain OPTIONS requests still reach it.
#[options("/items/{id}")]
async fn items_options() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("allow", "GET, DELETE, OPTIONS"))
        .body("own options")
}

#[cors(origins = ["https://app.example.com"], allow_headers = "*")]
#[routes]
#[get("/multi")]
#[post("/multi")]
async fn multi() -> impl Responder {
    "multi"
}

#[cors(origins = ["https://app.example.com"])]
#[route("/both", method = "PUT", method = "PATCH")]
async fn both() -> impl Responder {
    "both"
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/users/{id}")]
async fn user(id: web::Path<String>) -> impl Responder {
    format!("user {id}")
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .service(get_item)
        .service(delete_item)
        .service(items_options)
        .service(multi)
        .service(both)
        .service(web::scope("/api").service(user))
}

/// The answer to an allowed preflight to `get_item`: the headers granted are exactly those
/// asked for (`granted`), none when none were.
fn allowed(granted: Option<&'static str>) -> Vec<(&'static str, Option<&'static str>)> {
    vec![
        ("access-control-allow-origin", Some(APP)),
        ("access-control-allow-credentials", Some("true")),
        ("access-control-allow-methods", Some("GET")),
        ("access-control-allow-headers", granted),
        ("access-control-max-age", Some("600")),
        ("access-control-expose-headers", None),
        ("vary", Some(PREFLIGHT_VARY)),
    ]
}

/// Sends `cases` to a new app, checks each answer, and that none of them ran `get_item`'s
/// handler or middleware (counted on this thread: see `HANDLER_RUNS`).
async fn preflights(cases: &[Case<'_>]) {
    common::capture_logs();
    let app = test::init_service(app()).await;
    let (handler, middleware) = runs();
    run(&app, cases).await;
    assert_eq!(HANDLER_RUNS.get(), handler, "a preflight ran the handler");
    assert_eq!(
        MIDDLEWARE_RUNS.get(),
        middleware,
        "a preflight ran the route's middleware"
    );
}

/// A refusal is logged with the route, the origin and the reason, at its level. Levels for a
/// public API: a refused origin is routine (`info`), an allowed page asking for what its route
/// does not allow is a bug to fix (`warn`), a request no browser sends is noise (`debug`).
fn assert_logged(line: &str) {
    assert!(
        !common::logs_with(line).is_empty(),
        "not logged: {line}\n{:#?}",
        common::logs_with("preflight")
    );
}

#[actix_web::test]
async fn requested_headers_the_route_allows_are_granted_as_asked() {
    preflights(&[
        Case {
            name: "allowed",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[
                ("origin", APP),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "content-type"),
            ],
            status: 204,
            expect: &allowed(Some("content-type")),
        },
        Case {
            name: "no header asked for: none granted",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[("origin", APP), ("access-control-request-method", "GET")],
            status: 204,
            expect: &allowed(None),
        },
        Case {
            name: "an empty list asks for nothing",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[
                ("origin", APP),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", " , "),
            ],
            status: 204,
            expect: &allowed(None),
        },
        Case {
            name: "requested headers over two lines, any case, odd spacing",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[
                ("origin", APP),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", " Content-Type ,"),
                ("access-control-request-headers", "X-API-Key"),
            ],
            status: 204,
            // The request's own lines, echoed: no allocation, and the browser reads the
            // same list it sent.
            expect: &allowed(Some(" Content-Type ,, X-API-Key")),
        },
    ])
    .await;
}

#[actix_web::test]
async fn a_header_not_allowed_or_too_many_headers_are_refused_and_logged() {
    let too_many =
        vec!["x-api-key"; cors_runtime::request_headers::MAX_REQUESTED_HEADERS + 1].join(",");
    preflights(&[
        Case {
            name: "a header not allowed: answered with the allowed list, so the browser names it",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[
                ("origin", APP),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "content-type,x-other"),
            ],
            status: 204,
            expect: &allowed(Some("content-type, x-api-key")),
        },
        Case {
            name: "more requested headers than the bound",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[
                ("origin", APP),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", &too_many),
            ],
            status: 403,
            expect: NO_CORS,
        },
    ])
    .await;
    assert_logged(
        "WARN preflight to `get_item` (/items/{id}) from origin `https://app.example.com` refused: request header `x-other` is not allowed",
    );
    assert_logged(
        "DEBUG preflight to `get_item` (/items/{id}) from origin `https://app.example.com` refused: Access-Control-Request-Headers is too large",
    );
}

#[actix_web::test]
async fn a_refused_origin_gets_no_cors_headers_and_is_logged() {
    preflights(&[Case {
        name: "refused origin",
        method: "OPTIONS",
        uri: "/items/1",
        headers: &[
            ("origin", "https://evil.example"),
            ("access-control-request-method", "GET"),
        ],
        status: 403,
        expect: &[
            ("content-type", Some("text/plain; charset=utf-8")),
            NO_CORS[0],
            NO_CORS[1],
            NO_CORS[2],
            NO_CORS[3],
            NO_CORS[5],
        ],
    }])
    .await;
    assert_logged(
        "INFO preflight to `get_item` (/items/{id}) from origin `https://evil.example` refused: origin not allowed",
    );
}

#[actix_web::test]
async fn each_method_on_a_path_is_answered_by_its_own_policy() {
    preflights(&[
        Case {
            name: "DELETE on the same path: its own policy answers",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[
                ("origin", ADMIN),
                ("access-control-request-method", "DELETE"),
            ],
            status: 204,
            expect: &[
                ("access-control-allow-origin", Some(ADMIN)),
                ("access-control-allow-methods", Some("DELETE")),
                ("access-control-allow-credentials", None),
                ("access-control-allow-headers", None),
                ("access-control-max-age", None),
            ],
        },
        Case {
            name: "DELETE from the GET route's origin is refused by the DELETE policy",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[("origin", APP), ("access-control-request-method", "DELETE")],
            status: 403,
            expect: NO_CORS,
        },
        Case {
            name: "GET from the DELETE route's origin is refused by the GET policy",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[("origin", ADMIN), ("access-control-request-method", "GET")],
            status: 403,
            expect: NO_CORS,
        },
    ])
    .await;
    assert_logged(
        "INFO preflight to `delete_item` (/items/{id}) from origin `https://app.example.com` refused: origin not allowed",
    );
}

#[actix_web::test]
async fn options_that_is_no_preflight_for_a_cors_route_reaches_the_apps_own_handler() {
    preflights(&[
        Case {
            name: "plain OPTIONS reaches the application's own handler",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[],
            status: 200,
            expect: &[("allow", Some("GET, DELETE, OPTIONS")), NO_CORS[0]],
        },
        Case {
            name: "OPTIONS with Origin but no Access-Control-Request-Method is not a preflight",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[("allow", Some("GET, DELETE, OPTIONS")), NO_CORS[0]],
        },
        Case {
            name: "a method no CORS route on the path has falls through",
            method: "OPTIONS",
            uri: "/items/1",
            headers: &[("origin", APP), ("access-control-request-method", "PUT")],
            status: 200,
            expect: &[("allow", Some("GET, DELETE, OPTIONS")), NO_CORS[0]],
        },
    ])
    .await;
}

#[actix_web::test]
async fn routes_answers_for_get_and_post_and_its_star_leaves_out_authorization() {
    preflights(&[
        Case {
            name: "#[routes] with GET and POST",
            method: "OPTIONS",
            uri: "/multi",
            headers: &[
                ("origin", APP),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "x-anything"),
            ],
            status: 204,
            expect: &[
                ("access-control-allow-origin", Some(APP)),
                ("access-control-allow-methods", Some("GET, POST")),
                ("access-control-allow-headers", Some("x-anything")),
            ],
        },
        Case {
            name: "`*` refuses Authorization, and its answer carries no `*` that Chromium, \
                   WebKit and Firefox would read as covering it",
            method: "OPTIONS",
            uri: "/multi",
            headers: &[
                ("origin", APP),
                ("access-control-request-method", "GET"),
                (
                    "access-control-request-headers",
                    "authorization, x-anything",
                ),
            ],
            status: 204,
            expect: &[
                ("access-control-allow-origin", Some(APP)),
                ("access-control-allow-headers", None),
            ],
        },
    ])
    .await;
}

#[actix_web::test]
async fn route_with_put_and_patch_answers_exactly_those_methods() {
    preflights(&[
        Case {
            name: "#[route] with PUT and PATCH",
            method: "OPTIONS",
            uri: "/both",
            headers: &[("origin", APP), ("access-control-request-method", "PATCH")],
            status: 204,
            expect: &[
                ("access-control-allow-origin", Some(APP)),
                ("access-control-allow-methods", Some("PUT, PATCH")),
            ],
        },
        Case {
            name: "`patch` is not `PATCH`: answered with the exact methods, so the browser names it",
            method: "OPTIONS",
            uri: "/both",
            headers: &[("origin", APP), ("access-control-request-method", "patch")],
            status: 204,
            expect: &[("access-control-allow-methods", Some("PUT, PATCH"))],
        },
        Case {
            name: "no preflight route for an unannotated method: 404",
            method: "OPTIONS",
            uri: "/both",
            headers: &[("origin", APP), ("access-control-request-method", "DELETE")],
            status: 404,
            expect: NO_CORS,
        },
    ])
    .await;
    assert_logged(
        "WARN preflight to `both` (/both) from origin `https://app.example.com` refused: method `patch` is not one of PUT, PATCH",
    );
}

#[actix_web::test]
async fn a_scoped_route_answers_its_preflight_and_actual_request() {
    preflights(&[
        Case {
            name: "scoped route with a path parameter",
            method: "OPTIONS",
            uri: "/api/users/ada",
            headers: &[("origin", APP), ("access-control-request-method", "GET")],
            status: 204,
            expect: &[
                ("access-control-allow-origin", Some(APP)),
                ("access-control-allow-credentials", Some("true")),
            ],
        },
        Case {
            name: "scoped route, actual request",
            method: "GET",
            uri: "/api/users/ada",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[
                ("access-control-allow-origin", Some(APP)),
                ("vary", Some("Origin")),
            ],
        },
    ])
    .await;
}

/// ...and the counters do count: the actual request runs both the handler and the middleware a
/// preflight skips.
#[actix_web::test]
async fn an_actual_request_runs_the_handler_and_middleware() {
    let app = test::init_service(app()).await;
    let (handler, middleware) = runs();
    let req = test::TestRequest::get()
        .uri("/items/3")
        .insert_header(("origin", APP))
        .to_request();
    assert_eq!(
        test::read_body(test::call_service(&app, req).await).await,
        "item 3"
    );
    assert_eq!(HANDLER_RUNS.get(), handler + 1);
    assert_eq!(MIDDLEWARE_RUNS.get(), middleware + 1);
}
