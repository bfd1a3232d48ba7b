use actix_web::{App, get};
use route_cors::cors;

#[cors(origins = ["http://app.example.com"], insecure_http_credentials)]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
