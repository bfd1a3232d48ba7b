use actix_web::{App, get};
use route_cors::cors;

const APP: &str = "https://app.example.com";

#[cors(origins = [APP, "https://admin.example.com"])]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
    let _ = APP;
}
