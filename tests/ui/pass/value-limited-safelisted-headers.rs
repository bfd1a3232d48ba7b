#![deny(warnings)]

use actix_web::{App, HttpResponse, post};
use route_cors::cors;

// CORS-safelisted request headers are safelisted only for some values, so each of them can be
// allowed: `Accept: application/vnd.api+json; profile="x"` and `Content-Language: en_US` are
// preflighted, and this route lets them through, with credentials (where `"*"` is barred).
#[cors(
    origins = ["https://app.example.com"],
    allow_headers = ["accept", "accept-language", "content-language", "content-type", "range"],
    credentials,
)]
#[post("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(items);
}
