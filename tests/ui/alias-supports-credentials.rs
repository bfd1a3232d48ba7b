use actix_web::{App, get};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], supports_credentials)]
#[get("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
