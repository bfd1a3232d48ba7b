use actix_web::{App, get};
use route_cors::{Policy, cors, policy};

const API: Policy = policy!(origins = ["https://app.example.com"]);

#[cors(API, credentials)]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
