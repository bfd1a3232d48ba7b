//! The app's CORS surface (issue 20): the demo's and every example's, pinned by committed
//! snapshots (`tests/cors-surface/*.json`; `CORS_SURFACE=overwrite cargo test --test surface`
//! rewrites them), checked for near-miss origins, and queried as a security test would.

// Each example brings its own `mod common;` (the helpers it prints its commands with).
#![allow(clippy::duplicate_mod)]

#[path = "../examples/demo/server.rs"]
#[allow(dead_code)]
mod server;

#[path = "../examples/auth.rs"]
#[allow(dead_code)]
mod auth;
#[path = "../examples/basic.rs"]
#[allow(dead_code)]
mod basic;
#[path = "../examples/credentials.rs"]
#[allow(dead_code)]
mod credentials;
#[path = "../examples/origins_from_env.rs"]
#[allow(dead_code)]
mod origins_from_env;
#[path = "../examples/shared_policy.rs"]
#[allow(dead_code)]
mod shared_policy;
#[path = "../examples/tenants/server.rs"]
#[allow(dead_code)]
mod tenants;

use actix_web::{App, HttpResponse, get, post, web};
use route_cors::testing::{assert_no_near_miss_reflected, assert_surface_snapshot, near_misses};
use route_cors::{Policy, ScopeCors, Surface, cors, policy};

fn snapshot(name: &str) -> String {
    format!(
        "{}/tests/cors-surface/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// What a security test of an app asserts: no route lets an unexpected origin, or any plain
/// `http://` origin off the machine, read with the user's credentials.
fn assert_no_unexpected_credentialed_origin(surface: &Surface, expected: &[&str]) {
    for origin in [
        "https://evil.example",
        "http://app.example.com",
        "http://intranet.example.com",
        "null",
    ] {
        let granted: Vec<String> = surface
            .allowing_with_credentials(origin)
            .map(|r| format!("{} ({})", r.handler(), r.shown_path()))
            .collect();
        assert!(
            granted.is_empty() || expected.contains(&origin),
            "{origin} may read with credentials: {granted:?}"
        );
    }
}

#[actix_web::test]
async fn the_demos_surface_is_pinned_and_gives_scanners_nothing() {
    let surface = Surface::of(server::api()).await;
    assert_surface_snapshot(&surface, snapshot("demo"));
    assert_no_near_miss_reflected(&surface);
    assert_no_unexpected_credentialed_origin(&surface, &[]);

    // The table names every route with its full path and its handler.
    let table = surface.to_string();
    println!("{table}");
    assert!(
        table.starts_with("CORS surface: 16 #[cors] routes, 1 ScopeCors"),
        "{table}"
    );
    assert!(
        table
            .contains("PUT /api/items/{id}  surface::server::put_item  origins: http://127.0.0.1:"),
        "{table}"
    );
    assert!(table.contains("ScopeCors /api/private"), "{table}");
    assert!(table.contains("guards: tenant_a"), "{table}");

    // Queries read each route's policy with the check a request gets.
    let page = "http://127.0.0.1:8080";
    assert_eq!(surface.allowing_with_credentials(page).count(), 13);
    let from_localhost: Vec<&str> = surface
        .allowing("http://localhost:8080")
        .map(|r| r.route().name())
        .collect();
    assert_eq!(from_localhost, ["delete_item", "put_tenant_b"]);
    assert!(surface.allowing("https://evil.example").next().is_none());
    let x_api_key: Vec<&str> = surface
        .allowing_header("X-Api-Key")
        .map(|r| r.route().name())
        .collect();
    assert!(x_api_key.contains(&"put_item"), "{x_api_key:?}");
    assert!(surface.exposing("x-request-id").count() >= 1);
}

#[actix_web::test]
async fn every_examples_surface_is_pinned_and_gives_scanners_nothing() {
    // The tenants example's lists as its database seeds them: each tenant's list is checked.
    tenants::TENANT_ORIGINS
        .update()
        .by("tests/surface.rs")
        .replace_tenants([
            (
                "acme",
                vec!["https://app.acme.example", "https://*.acme.example"],
            ),
            ("globex", vec!["https://portal.globex.example"]),
        ])
        .expect("valid lists");
    for (name, routes) in [
        ("auth", auth::routes as fn(&mut web::ServiceConfig)),
        ("basic", basic::routes),
        ("credentials", credentials::routes),
        ("origins_from_env", origins_from_env::routes),
        ("shared_policy", shared_policy::routes),
        ("tenants", tenants::routes),
    ] {
        let surface = Surface::of(App::new().configure(routes)).await;
        assert!(surface.routes().len() > 0, "{name}: no route listed");
        assert_surface_snapshot(&surface, snapshot(name));
        assert_no_near_miss_reflected(&surface);
        assert_no_unexpected_credentialed_origin(&surface, &[]);
    }
}

const WIDE: Policy = policy!(
    origins = ["https://app.example.com", "http://intranet.example.com"],
    credentials,
    insecure_http_credentials,
);

/// Copied from a route with credentials, with one more origin: the classic regression.
#[cors(WIDE)]
#[post("/admin/export")]
async fn export() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/orders")]
async fn orders() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_query_catches_a_route_that_grants_credentials_to_an_unexpected_origin() {
    let app = || App::new().service(orders);
    let surface = Surface::of(app()).await;
    assert_no_unexpected_credentialed_origin(&surface, &[]);

    let surface = Surface::of(app().service(export)).await;
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert_no_unexpected_credentialed_origin(&surface, &[]);
    }));
    let message = *caught
        .expect_err("the check must fail")
        .downcast::<String>()
        .expect("a message");
    assert!(
        message.contains("http://intranet.example.com may read with credentials")
            && message.contains("export (/admin/export)"),
        "{message}"
    );
    let json = surface.to_json(false);
    assert_eq!(
        json["routes"][1]["policy"]["insecure_http_credentials"],
        true
    );
    assert_eq!(
        json["routes"][0]["policy"]["insecure_http_credentials"],
        false
    );
}

#[actix_web::test]
async fn full_paths_are_known_through_scope_cors_and_unknown_in_a_plain_scope() {
    let app = App::new()
        .service(ScopeCors::routes_only().scope("/v1", |s| {
            s.service(ScopeCors::routes_only().scope("/shop", |s| s.service(orders)))
        }))
        .service(web::scope("/plain").service(export));
    let surface = Surface::of(app).await;
    let paths: Vec<Option<&str>> = surface.routes().map(|r| r.path()).collect();
    assert_eq!(paths, [Some("/v1/shop/orders"), None]);
    let scopes: Vec<Option<&str>> = surface.scopes().map(|s| s.path()).collect();
    assert_eq!(scopes, [Some("/v1"), Some("/v1/shop")]);
    assert!(surface.to_string().contains("POST …/admin/export"));
    // Listing builds the app once: nothing stays recording after it.
    let again = Surface::of(App::new()).await;
    assert_eq!(again.routes().len(), 0);
    assert!(near_misses(&surface).is_empty());
}
