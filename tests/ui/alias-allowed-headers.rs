use actix_web::{App, post};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], allowed_headers = ["content-type", "x-api-key"])]
#[post("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
