#![deny(warnings)]

use actix_web::guard::GuardContext;
use actix_web::{App, get, post};
use route_cors::{Policy, cors, policy};

const API: Policy = policy!(origins = ["https://app.example.com"], allow_headers = ["x-api-key"]);

fn has_api_key(ctx: &GuardContext<'_>) -> bool {
    ctx.head().headers.contains_key("x-api-key")
}

// A `#[cfg]` between `#[cors]` and the route attribute applies to the route: compiled out here,
// it leaves no struct behind (the `main` below would not compile with both `items`).
#[cors(API)]
#[cfg(any())]
#[get("/items")]
async fn items() -> &'static str {
    "never compiled"
}

#[cors(API)]
#[cfg(not(any()))]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

// The route's own setting beside a named policy, and beside keys.
#[cors(API, preflights_skip_guards)]
#[post("/keyed", guard = "has_api_key")]
async fn keyed() -> &'static str {
    "keyed"
}

#[cors(origins = ["https://app.example.com"], allow_headers = ["x-api-key"], preflights_skip_guards)]
#[get("/keyed", guard = "has_api_key")]
async fn keyed_get() -> &'static str {
    "keyed"
}

fn main() {
    let _ = App::new().service(items).service(keyed).service(keyed_get);
}
