use actix_web::{App, post};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], allow_headers = ["content-type", "Access-Control-Allow-Origin"])]
#[post("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
