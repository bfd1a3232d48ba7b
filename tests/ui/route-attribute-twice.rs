use actix_web::{get, post};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
#[get("/items")]
#[post("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = actix_web::App::new().service(items);
}
