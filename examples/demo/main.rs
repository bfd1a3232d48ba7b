//! The route-cors demo: an API origin and a page origin on loopback.
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! - API: `http://127.0.0.1:8081` (`DEMO_API_PORT`), routes annotated with `#[cors]`.
//! - Page: `http://127.0.0.1:8080` (`DEMO_PAGE_PORT`), which calls the API cross-origin and shows
//!   what the browser allowed. The same page opened as `http://localhost:8080` is an origin the
//!   API refuses.

use actix_web::{
    App, HttpResponse, HttpServer, Responder, delete, error, get, middleware, put, web,
};
use route_cors::{Policy, cors, policy};
use serde::Deserialize;

/// The page's origin, on any port so that `DEMO_PAGE_PORT` can move it. `localhost` is
/// deliberately left out: the same page served from there is a refused origin.
const PAGE: Policy = policy!(
    origins = ["http://127.0.0.1:*"],
    allow_headers = ["content-type", "x-api-key"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
);

#[derive(Deserialize)]
struct Item {
    name: String,
}

/// A simple cross-origin GET; the response exposes `x-request-id` but not `x-internal`.
#[cors(PAGE)]
#[get("/api/items/{id}")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", format!("req-{id}")))
        .insert_header(("x-internal", "hidden"))
        .json(serde_json::json!({ "id": *id, "name": "chair" }))
}

/// A preflighted PUT with JSON and a custom header; a bad body fails in the `Json` extractor.
#[cors(PAGE)]
#[put("/api/items/{id}")]
async fn put_item(id: web::Path<u32>, item: web::Json<Item>) -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "id": *id, "name": item.name }))
}

/// Only the admin origin (`http://localhost:*`) may delete: same path, another policy.
#[cors(origins = ["http://localhost:*"])]
#[delete("/api/items/{id}")]
async fn delete_item() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// A credentialed call: reads the cookie the API set.
#[cors(PAGE)]
#[get("/api/me")]
async fn me(req: actix_web::HttpRequest) -> impl Responder {
    match req.cookie("session") {
        Some(c) => HttpResponse::Ok().json(serde_json::json!({ "session": c.value() })),
        None => HttpResponse::Ok()
            .cookie(
                actix_web::cookie::Cookie::build("session", "demo")
                    .path("/")
                    .finish(),
            )
            .json(serde_json::json!({ "session": null })),
    }
}

/// A handler error: the 500 still carries the CORS headers, so the page can read it.
#[cors(PAGE)]
#[get("/api/fail")]
async fn fail() -> Result<&'static str, error::Error> {
    Err(error::ErrorInternalServerError("the database is on fire"))
}

#[get("/")]
async fn page(api: web::Data<String>) -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(include_str!("page.html").replace("{{API}}", &api))
}

fn port(var: &str, default: u16) -> u16 {
    std::env::var(var)
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(default)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(
        env_logger::Env::default()
            .default_filter_or("route_cors=info,actix_web::middleware::logger=info"),
    )
    .init();
    let (page_port, api_port) = (port("DEMO_PAGE_PORT", 8080), port("DEMO_API_PORT", 8081));
    let api_base = format!("http://127.0.0.1:{api_port}");

    let api = HttpServer::new(|| {
        App::new()
            .wrap(middleware::Logger::new("%r -> %s"))
            .service((get_item, put_item, delete_item, me, fail))
    })
    .workers(1)
    .bind(("127.0.0.1", api_port))?
    .run();
    let base = api_base.clone();
    let pages = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(base.clone()))
            .service(page)
    })
    .workers(1)
    .bind(("127.0.0.1", page_port))?
    .run();

    println!("route-cors demo");
    println!("  page: http://127.0.0.1:{page_port}/   (an allowed origin: open it in a browser)");
    println!(
        "  page: http://localhost:{page_port}/   (the same page from an origin the API refuses)"
    );
    println!("  api:  {api_base}");
    println!();
    println!("Try it with curl:");
    println!("  curl -i {api_base}/api/items/1 -H 'Origin: http://127.0.0.1:{page_port}'");
    println!("  curl -i {api_base}/api/items/1 -H 'Origin: https://evil.example'");
    println!(
        "  curl -i -X OPTIONS {api_base}/api/items/1 -H 'Origin: http://127.0.0.1:{page_port}' \\\n       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type, x-api-key'"
    );
    println!("Ctrl-C stops both servers.");
    actix_web::rt::spawn(pages);
    api.await
}
