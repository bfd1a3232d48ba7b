use actix_web::get;
use route_cors::cors;

// A setting the route attribute does not take (a typo here; an option a later actix-web might
// add): `#[cors]` refuses to make a route it cannot read, rather than let it compile without
// its CORS.
#[cors(origins = ["https://app.example.com"])]
#[get("/items", nme = "items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = actix_web::App::new().service(items);
}
