use actix_web::{App, get};
use route_cors::cors;

#[cors(allowed_origins = ["https://app.example.com", "https://admin.example.com"])]
#[get("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
