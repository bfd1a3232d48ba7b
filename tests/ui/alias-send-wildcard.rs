use actix_web::{App, get};
use route_cors::cors;

#[cors(send_wildcard)]
#[get("/items/{id}")]
async fn item() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(item);
}
