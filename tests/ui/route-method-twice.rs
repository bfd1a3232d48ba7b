use actix_web::route;
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
#[route("/items", method = "GET", method = "GET")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = actix_web::App::new().service(items);
}
