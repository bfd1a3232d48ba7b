//! Actual (non-preflight) requests to annotated routes: DESIGN.md § 3, table-driven.

mod common;

use std::cell::Cell;

use actix_web::{App, HttpResponse, Responder, get, post, test, web};
use common::{Case, NO_CORS, run};
use route_cors::cors;

const APP: &str = "https://app.example.com";

#[cors(
    origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
    allow_headers = ["content-type", "x-api-key"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[get("/items/{id}")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "r-1"))
        .body(format!("item {id}"))
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[post("/items")]
async fn create_item() -> impl Responder {
    HttpResponse::Created().finish()
}

thread_local! {
    /// Runs of `create_order` and of `webhook` on this thread. `#[actix_web::test]` serves the
    /// app on the test's own thread, so a test counts its own requests alone while the others
    /// run in parallel (the table posts to `/webhook` too).
    static ORDERS: Cell<usize> = const { Cell::new(0) };
    static FORWARDED: Cell<usize> = const { Cell::new(0) };
}

/// Counted by `a_refused_origin_never_runs_the_handler`, on a path of its own.
#[cors(origins = ["https://app.example.com"], credentials)]
#[post("/orders")]
async fn create_order() -> impl Responder {
    ORDERS.set(ORDERS.get() + 1);
    HttpResponse::Created().finish()
}

#[cors(origins = ["https://app.example.com"], forward_refused)]
#[post("/webhook")]
async fn webhook() -> impl Responder {
    FORWARDED.set(FORWARDED.get() + 1);
    "ok"
}

#[cors(origins = "*", expose_headers = "*")]
#[get("/public")]
async fn public() -> impl Responder {
    "public"
}

/// The handler sets its own `Vary` and even a wrong `Access-Control-Allow-Origin`.
#[cors(origins = ["https://app.example.com"])]
#[get("/negotiated")]
async fn negotiated() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("vary", "Accept-Encoding"))
        .insert_header(("access-control-allow-origin", "https://evil.example"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/already-varies")]
async fn already_varies() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("vary", "accept, ORIGIN"))
        .finish()
}

/// The handler sets every CORS response header itself, wrongly: the policy's values win, one
/// line each (a second `Access-Control-Allow-Credentials` line makes browsers refuse it: the
/// value must be exactly `true`).
#[cors(origins = ["https://app.example.com"], expose_headers = ["x-request-id"], credentials)]
#[get("/meddling")]
async fn meddling() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-credentials", "true"))
        .insert_header(("access-control-expose-headers", "x-secret"))
        .insert_header(("access-control-allow-origin", "https://evil.example"))
        .finish()
}

/// Without credentials or exposed headers in the policy, a handler cannot add them.
#[cors(origins = ["https://app.example.com"])]
#[get("/meddling-plain")]
async fn meddling_plain() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-credentials", "true"))
        .insert_header(("access-control-expose-headers", "x-secret"))
        .finish()
}

/// `Vary: *` already covers `Origin`.
#[cors(origins = ["https://app.example.com"])]
#[get("/varies-by-everything")]
async fn varies_by_everything() -> impl Responder {
    HttpResponse::Ok().insert_header(("vary", "*")).finish()
}

/// `forward_refused`, and a handler that reflects whatever origin it sees.
#[cors(origins = ["https://app.example.com"], forward_refused)]
#[get("/reflecting")]
async fn reflecting(req: actix_web::HttpRequest) -> impl Responder {
    let origin = req.headers().get("origin").cloned();
    let mut res = HttpResponse::Ok();
    if let Some(origin) = origin {
        res.insert_header(("access-control-allow-origin", origin));
        res.insert_header(("access-control-allow-credentials", "true"));
    }
    res.finish()
}

/// Sends `cases` to a new app with every route above but `create_order` and checks each
/// answer.
async fn requests(cases: &[Case<'_>]) {
    let app = test::init_service(
        App::new()
            .service(get_item)
            .service(create_item)
            .service(webhook)
            .service(public)
            .service(negotiated)
            .service(already_varies)
            .service(meddling)
            .service(meddling_plain)
            .service(varies_by_everything)
            .service(reflecting),
    )
    .await;
    run(&app, cases).await;
}

#[actix_web::test]
async fn allowed_origins_exact_or_by_pattern_get_their_cors_headers() {
    let allowed: &[(&str, Option<&str>)] = &[
        ("access-control-allow-origin", Some(APP)),
        ("access-control-allow-credentials", Some("true")),
        ("access-control-expose-headers", Some("x-request-id")),
        ("vary", Some("Origin")),
        ("access-control-allow-methods", None),
        ("access-control-max-age", None),
    ];
    requests(&[
        Case {
            name: "allowed origin",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", APP)],
            status: 200,
            expect: allowed,
        },
        Case {
            name: "subdomain pattern",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", "https://a.b.example.org")],
            status: 200,
            expect: &[
                (
                    "access-control-allow-origin",
                    Some("https://a.b.example.org"),
                ),
                ("vary", Some("Origin")),
            ],
        },
        Case {
            name: "any-port pattern",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", "http://localhost:5173")],
            status: 200,
            expect: &[("access-control-allow-origin", Some("http://localhost:5173"))],
        },
    ])
    .await;
}

#[actix_web::test]
async fn a_missing_refused_or_malformed_origin_gets_no_cors_headers() {
    requests(&[
        Case {
            name: "no Origin",
            method: "GET",
            uri: "/items/1",
            headers: &[],
            status: 200,
            expect: &[("vary", Some("Origin")), NO_CORS[0], NO_CORS[1], NO_CORS[4]],
        },
        Case {
            name: "refused origin GET",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", "https://evil.example")],
            status: 403,
            expect: &[
                ("content-type", Some("text/plain; charset=utf-8")),
                ("vary", Some("Origin")),
                NO_CORS[0],
                NO_CORS[1],
                NO_CORS[4],
            ],
        },
        Case {
            name: "suffix spoof",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", "https://app.example.com.evil.example")],
            status: 403,
            expect: &[NO_CORS[0]],
        },
        Case {
            name: "origin in another case",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", "https://APP.example.com")],
            status: 403,
            expect: &[NO_CORS[0]],
        },
        Case {
            name: "two Origin headers",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", APP), ("origin", APP)],
            status: 403,
            expect: &[NO_CORS[0]],
        },
        Case {
            name: "Origin: null",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", "null")],
            status: 403,
            expect: &[NO_CORS[0]],
        },
    ])
    .await;
}

/// Same-origin requests (by `Origin` and the `Host` or `X-Forwarded-*` headers, or by
/// `Sec-Fetch-Site`) pass without CORS headers, and never make a refused origin readable.
#[actix_web::test]
async fn same_origin_requests_pass_without_cors_headers() {
    requests(&[
        Case {
            name: "same-origin POST",
            method: "POST",
            uri: "/items",
            headers: &[("origin", "http://localhost:8080")],
            status: 201,
            expect: &[("vary", Some("Origin")), NO_CORS[0], NO_CORS[1]],
        },
        Case {
            name: "same-origin POST behind a proxy (X-Forwarded-*)",
            method: "POST",
            uri: "/items",
            headers: &[
                ("origin", "https://shop.example"),
                ("x-forwarded-proto", "https"),
                ("x-forwarded-host", "shop.example"),
            ],
            status: 201,
            expect: &[NO_CORS[0]],
        },
        Case {
            name: "same-origin behind a TLS proxy that sets no X-Forwarded-Proto: Sec-Fetch-Site says so",
            method: "POST",
            uri: "/items",
            headers: &[
                ("host", "shop.example"),
                ("origin", "https://shop.example"),
                ("sec-fetch-site", "same-origin"),
            ],
            status: 201,
            expect: &[("vary", Some("Origin")), NO_CORS[0], NO_CORS[1]],
        },
        Case {
            name: "...and without it, the same request is cross-origin and refused",
            method: "POST",
            uri: "/items",
            headers: &[("host", "shop.example"), ("origin", "https://shop.example")],
            status: 403,
            expect: &[NO_CORS[0]],
        },
        Case {
            name: "Sec-Fetch-Site: same-origin never makes a refused origin readable",
            method: "GET",
            uri: "/items/1",
            headers: &[("origin", "https://evil.example"), ("sec-fetch-site", "same-origin")],
            status: 200,
            expect: &[("vary", Some("Origin")), NO_CORS[0], NO_CORS[1], NO_CORS[4]],
        },
    ])
    .await;
}

#[actix_web::test]
async fn forward_refused_passes_a_refused_origin_on_without_cors_headers() {
    requests(&[
        Case {
            name: "forward_refused: refused origin reaches the handler, without CORS headers",
            method: "POST",
            uri: "/webhook",
            headers: &[("origin", "https://evil.example")],
            status: 200,
            expect: &[("vary", Some("Origin")), NO_CORS[0], NO_CORS[1]],
        },
        Case {
            name: "forward_refused: a handler cannot reflect the refused origin",
            method: "GET",
            uri: "/reflecting",
            headers: &[("origin", "https://evil.example")],
            status: 200,
            expect: &[("vary", Some("Origin")), NO_CORS[0], NO_CORS[1]],
        },
    ])
    .await;
}

#[actix_web::test]
async fn origins_star_answers_a_literal_star_without_vary() {
    requests(&[Case {
        name: "origins = \"*\": a literal star and no Vary",
        method: "GET",
        uri: "/public",
        headers: &[("origin", "https://anyone.example")],
        status: 200,
        expect: &[
            ("access-control-allow-origin", Some("*")),
            ("access-control-expose-headers", Some("*")),
            ("vary", None),
            NO_CORS[1],
        ],
    }])
    .await;
}

#[actix_web::test]
async fn the_handlers_vary_is_kept_and_names_origin_once() {
    requests(&[
        Case {
            name: "Vary appended to the handler's, ACAO replaced",
            method: "GET",
            uri: "/negotiated",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[
                ("vary", Some("Accept-Encoding, Origin")),
                ("access-control-allow-origin", Some(APP)),
            ],
        },
        Case {
            name: "Vary already naming Origin is not duplicated",
            method: "GET",
            uri: "/already-varies",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[("vary", Some("accept, ORIGIN"))],
        },
        Case {
            name: "Vary: * is left alone",
            method: "GET",
            uri: "/varies-by-everything",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[
                ("vary", Some("*")),
                ("access-control-allow-origin", Some(APP)),
            ],
        },
    ])
    .await;
}

#[actix_web::test]
async fn the_policy_replaces_the_cors_headers_a_handler_sets() {
    requests(&[
        Case {
            name: "handler-set ACAO, ACAC and ACEH are replaced, one line each",
            method: "GET",
            uri: "/meddling",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[
                ("access-control-allow-origin", Some(APP)),
                ("access-control-allow-credentials", Some("true")),
                ("access-control-expose-headers", Some("x-request-id")),
            ],
        },
        Case {
            name: "a policy without credentials or exposed headers removes the handler's",
            method: "GET",
            uri: "/meddling-plain",
            headers: &[("origin", APP)],
            status: 200,
            expect: &[
                ("access-control-allow-origin", Some(APP)),
                ("access-control-allow-credentials", None),
                ("access-control-expose-headers", None),
            ],
        },
    ])
    .await;
}

#[actix_web::test]
async fn a_refused_origin_never_runs_the_handler() {
    common::capture_logs();
    let app = test::init_service(App::new().service(create_order).service(webhook)).await;
    let before = ORDERS.get();
    let req = test::TestRequest::post()
        .uri("/orders")
        .insert_header(("origin", "https://evil.example"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(
        test::read_body(res).await,
        "CORS request refused: origin not allowed"
    );
    assert_eq!(ORDERS.get(), before, "the handler ran for a refused origin");

    let req = test::TestRequest::post()
        .uri("/orders")
        .insert_header(("origin", APP))
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status().as_u16(), 201);
    assert_eq!(
        ORDERS.get(),
        before + 1,
        "the handler did not run for an allowed origin"
    );

    let forwarded = FORWARDED.get();
    let req = test::TestRequest::post()
        .uri("/webhook")
        .insert_header(("origin", "https://evil.example"))
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status().as_u16(), 200);
    assert_eq!(
        FORWARDED.get(),
        forwarded + 1,
        "forward_refused did not forward"
    );

    let logs = common::logs_with("`create_order`");
    assert!(
        logs.iter().any(|l| l.starts_with("INFO request to `create_order` (/orders) from origin `https://evil.example` refused: origin not allowed")),
        "{logs:?}"
    );
}

#[cors(origins = ["https://app.example.com"])]
#[get("/products/{id}")]
async fn get_product(id: web::Path<u32>) -> impl Responder {
    format!("product {id}")
}

const SHOP: route_cors::Policy = route_cors::policy!(origins = ["https://app.example.com"]);

/// One search finds every refusal on a path: a `#[cors]` route inside a scope and a
/// `ScopeCors` around a service of that scope both log the full pattern, scope included.
#[actix_web::test]
async fn refusals_log_the_full_pattern() {
    common::capture_logs();
    let app = test::init_service(
        App::new().service(
            web::scope("/shop")
                .wrap(route_cors::ScopeCors::new(SHOP))
                .service(get_product)
                .route("/files/{name}", web::get().to(|| async { "file" }))
                .route("/readme", web::get().to(|| async { "readme" })),
        ),
    )
    .await;
    let evil = ("origin", "https://paths.evil.example");
    let preflight = |uri| {
        test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri(uri)
            .insert_header(evil)
            .insert_header(("access-control-request-method", "GET"))
            .to_request()
    };
    let get = test::TestRequest::get()
        .uri("/shop/products/7")
        .insert_header(evil)
        .to_request();
    for req in [
        get,
        preflight("/shop/products/7"),
        preflight("/shop/files/a.txt"),
        preflight("/shop/readme"),
    ] {
        assert_eq!(test::call_service(&app, req).await.status().as_u16(), 403);
    }
    let logs = common::logs_with("`https://paths.evil.example`");
    assert_eq!(
        logs,
        [
            "INFO request to `get_product` (/shop/products/{id}) from origin `https://paths.evil.example` refused: origin not allowed",
            "INFO preflight to `get_product` (/shop/products/{id}) from origin `https://paths.evil.example` refused: origin not allowed",
            "INFO preflight to `ScopeCors` (/shop/files/{name} at /shop/files/a.txt) from origin `https://paths.evil.example` refused: origin not allowed",
            // A path that is its own pattern is shown once.
            "INFO preflight to `ScopeCors` (/shop/readme) from origin `https://paths.evil.example` refused: origin not allowed",
        ]
    );
}
