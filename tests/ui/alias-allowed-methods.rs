use actix_web::{App, put};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], allowed_methods = ["GET", "PUT"])]
#[put("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
