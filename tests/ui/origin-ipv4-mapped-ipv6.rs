use actix_web::{App, get};
use route_cors::cors;

#[cors(origins = ["http://[::ffff:7f00:1]:8080"])]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
