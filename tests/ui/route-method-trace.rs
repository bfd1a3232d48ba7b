use actix_web::{App, trace};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
#[trace("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
