use actix_web::{App, get};
use route_cors::cors;

#[cors(origins = ("https://app.example.com", "https://admin.example.com"))]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
