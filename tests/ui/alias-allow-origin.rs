use actix_web::{App, get};
use route_cors::cors;

#[cors(allow_origin = "https://app.example.com")]
#[get("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
