use actix_web::{App, get};
use route_cors::cors;

const ALLOWED: &str = "https://app.example.com";

#[cors(origins = ALLOWED)]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
    let _ = ALLOWED;
}
