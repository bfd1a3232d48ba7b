//! One preflight per path: a preflight answer also lists the methods of the other `#[cors]`
//! routes on its path that grant at least as much (this origin, this credentials mode, every
//! header the answer grants, a cache lifetime at least as long, their guards), never a stricter
//! one's. DESIGN.md § 3, "Access-Control-Allow-Methods".

mod common;

use actix_web::guard::GuardContext;
use actix_web::{App, HttpResponse, Responder, delete, patch, put, test, web};
use common::{Case, run};
use route_cors::{Policy, ScopeCors, cors, policy};

const APP: &str = "https://app.example.com";
const OTHER: &str = "https://other.example.com";

const P: Policy = policy!(
    origins = ["https://app.example.com", "https://other.example.com"],
    allow_headers = ["content-type", "x-api-key"],
    credentials,
    max_age = 600,
);

fn preflight<'a>(origin: &'a str, method: &'a str) -> [(&'a str, &'a str); 2] {
    [
        ("origin", origin),
        ("access-control-request-method", method),
    ]
}

fn asks<'a>(origin: &'a str, method: &'a str, headers: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("origin", origin),
        ("access-control-request-method", method),
        ("access-control-request-headers", headers),
    ]
}

#[cors(P)]
#[put("/thing")]
async fn put_thing() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(P)]
#[delete("/thing")]
async fn delete_thing() -> impl Responder {
    HttpResponse::NoContent()
}

/// Stricter than `P` in each way a sibling can be.
#[cors(origins = ["https://app.example.com"], credentials, max_age = 600)]
#[delete("/strict")]
async fn no_headers() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(P)]
#[put("/strict")]
async fn put_strict() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(origins = ["https://app.example.com"], allow_headers = ["content-type", "x-api-key"], max_age = 600)]
#[patch("/strict")]
async fn no_credentials() -> impl Responder {
    HttpResponse::NoContent()
}

fn never(_: &GuardContext<'_>) -> bool {
    false
}

#[cors(P)]
#[delete("/guarded", guard = "never")]
async fn guarded_delete() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(P)]
#[put("/guarded")]
async fn guarded_put() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(origins = ["https://app.example.com"], allow_headers = ["content-type"], credentials, max_age = 0)]
#[patch("/guarded")]
async fn uncached() -> impl Responder {
    HttpResponse::NoContent()
}

const ALLOW_METHODS: &str = "access-control-allow-methods";

#[actix_web::test]
async fn same_policy_routes_on_one_path_share_one_preflight() {
    let app = test::init_service(App::new().service(put_thing).service(delete_thing)).await;
    run(
        &app,
        &[
            Case {
                name: "PUT's answer lists DELETE",
                method: "OPTIONS",
                uri: "/thing",
                headers: &asks(APP, "PUT", "x-api-key"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("PUT, DELETE"))],
            },
            Case {
                name: "DELETE's answer lists PUT",
                method: "OPTIONS",
                uri: "/thing",
                headers: &preflight(OTHER, "DELETE"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("DELETE, PUT"))],
            },
            Case {
                name: "a refused origin: refused, nothing listed",
                method: "OPTIONS",
                uri: "/thing",
                headers: &preflight("https://evil.example", "PUT"),
                status: 403,
                expect: &[(ALLOW_METHODS, None)],
            },
        ],
    )
    .await;
}

#[actix_web::test]
async fn a_stricter_sibling_is_never_listed() {
    let app = test::init_service(
        App::new()
            .service(no_headers)
            .service(put_strict)
            .service(no_credentials)
            .service(guarded_delete)
            .service(guarded_put)
            .service(uncached),
    )
    .await;
    run(
        &app,
        &[
            Case {
                name: "asking for content-type: DELETE allows no header, PATCH no credentials",
                method: "OPTIONS",
                uri: "/strict",
                headers: &asks(APP, "PUT", "content-type"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("PUT"))],
            },
            Case {
                name: "asking for no header: DELETE grants as much",
                method: "OPTIONS",
                uri: "/strict",
                headers: &preflight(APP, "PUT"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("PUT, DELETE"))],
            },
            Case {
                name: "another origin P allows: DELETE does not",
                method: "OPTIONS",
                uri: "/strict",
                headers: &preflight(OTHER, "PUT"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("PUT"))],
            },
            Case {
                name: "PATCH without credentials: both credentialed siblings grant more",
                method: "OPTIONS",
                uri: "/strict",
                headers: &asks(APP, "PATCH", "content-type"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("PATCH, PUT"))],
            },
            Case {
                name: "a sibling whose guard refuses the request, one cached for 0 s: not listed",
                method: "OPTIONS",
                uri: "/guarded",
                headers: &preflight(APP, "PUT"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("PUT"))],
            },
            Case {
                name: "max_age = 0 lists the longer-cached sibling: it grants more",
                method: "OPTIONS",
                uri: "/guarded",
                headers: &asks(APP, "PATCH", "content-type"),
                status: 204,
                expect: &[(ALLOW_METHODS, Some("PATCH, PUT"))],
            },
        ],
    )
    .await;
}

#[actix_web::test]
async fn siblings_are_found_in_a_scope_cors_scope_but_not_across_apps_or_plain_scopes() {
    let framed = test::init_service(
        App::new().service(
            ScopeCors::routes_only()
                .around(actix_web::middleware::Identity::default())
                .scope("/api", |s| s.service(put_thing).service(delete_thing)),
        ),
    )
    .await;
    run(
        &framed,
        &[Case {
            name: "in a ScopeCors::scope, from its table",
            method: "OPTIONS",
            uri: "/api/thing",
            headers: &preflight(APP, "PUT"),
            status: 204,
            expect: &[(ALLOW_METHODS, Some("PUT, DELETE"))],
        }],
    )
    .await;

    // Two apps built one after the other on this thread, each with one of the routes.
    let first = test::init_service(App::new().service(put_thing)).await;
    let second = test::init_service(App::new().service(delete_thing)).await;
    for (app, method) in [(&first, "PUT"), (&second, "DELETE")] {
        let req = test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/thing")
            .insert_header(("origin", APP))
            .insert_header(("access-control-request-method", method))
            .to_request();
        let res = test::call_service(app, req).await;
        assert_eq!(res.headers().get(ALLOW_METHODS).unwrap(), method);
    }

    // A plain `web::scope`'s routes: its scope is not known, so each answer names its own.
    let plain = test::init_service(
        App::new().service(web::scope("/v1").service(put_thing).service(delete_thing)),
    )
    .await;
    run(
        &plain,
        &[Case {
            name: "in a plain web::scope, its own methods",
            method: "OPTIONS",
            uri: "/v1/thing",
            headers: &preflight(APP, "PUT"),
            status: 204,
            expect: &[(ALLOW_METHODS, Some("PUT"))],
        }],
    )
    .await;
}
