use actix_web::{App, route};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
#[route("/items", method = "TRACK")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
