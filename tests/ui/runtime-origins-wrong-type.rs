use actix_web::{App, get};
use route_cors::cors;

static ORIGINS: [&str; 1] = ["https://app.example.com"];

#[cors(origins = runtime(ORIGINS))]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
