use actix_web::get;
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
#[get(items)]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = actix_web::App::new().service(items);
}
