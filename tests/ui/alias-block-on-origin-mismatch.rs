use actix_web::{App, post};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], block_on_origin_mismatch = false)]
#[post("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
