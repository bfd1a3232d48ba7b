use actix_web::{App, delete};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], allow_methods = ["PUT", "DELETE"])]
#[delete("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
