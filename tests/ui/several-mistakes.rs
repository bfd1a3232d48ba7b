use actix_web::{App, post};
use route_cors::cors;

#[cors(
    origins = ["https://App.Example.com/", "*", "http://partner.example.org", "https://*.github.io", "http://[::ffff:7f00:1]"],
    allow_headers = ["x-api-key", "Cookie", "accept", "Access-Control-Allow-Origin", "x-api-key"],
    expose_headers = ["set-cookie", "Origin"],
    credentials,
    max_age = 90000,
    maxage = 600,
)]
#[post("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
