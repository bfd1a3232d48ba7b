use actix_web::{App, get};
use route_cors::{Policy, cors, policy};

const API: Policy = policy!(origins = ["https://app.example.com"], private_network = true);

#[cors(API)]
#[get("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
