use actix_web::{App, get};
use route_cors::{RuntimeOrigins, cors};

static ORIGINS: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(ORIGINS), credentials, insecure_http_credentials)]
#[get("/items")]
async fn items() -> &'static str {
    "[]"
}

fn main() {
    let _ = App::new().service(items);
}
