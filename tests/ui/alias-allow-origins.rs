use actix_web::{App, get};
use route_cors::{Policy, cors, policy};

const API: Policy = policy!(allow_origins = ["https://app.example.com"]);

#[cors(API)]
#[get("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
