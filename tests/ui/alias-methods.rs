use actix_web::{App, put};
use route_cors::{Policy, cors, policy};

const API: Policy = policy!(origins = ["https://app.example.com"], methods = ["PUT"]);

#[cors(API)]
#[put("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
