//! One CORS-enabled route: the page at `https://app.example.com` may read `GET /items/{id}`.
//!
//! ```text
//! cargo run --example basic                # on 127.0.0.1:8080; PORT=... moves it
//! ```
//!
//! It prints the `curl` commands to try: an allowed origin, a refused one, and a preflight.

mod common;

use actix_web::{App, HttpServer, Responder, get, web};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], max_age = 600)]
#[get("/items/{id}")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    format!("item {id}\n")
}

/// The example's services, for `App::configure` (the tests list their CORS surface).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_item);
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port = common::port()?;
    let server = HttpServer::new(|| App::new().configure(routes))
        .workers(1)
        .bind(("127.0.0.1", port))
        .map_err(|e| common::explain_bind_error(e, port))?;
    let base = format!("http://127.0.0.1:{}", server.addrs()[0].port());

    println!("Listening on {base}. Try:");
    println!(
        "  curl -i {base}/items/1 -H 'Origin: https://app.example.com'   # allowed: 200 with CORS headers"
    );
    println!(
        "  curl -i {base}/items/1 -H 'Origin: https://evil.example'      # refused: 403, the handler never runs"
    );
    println!(
        "  curl -i {base}/items/1                                        # no Origin (curl, same origin): 200"
    );
    println!(
        "  curl -i -X OPTIONS {base}/items/1 -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: GET'   # preflight: 204"
    );
    server.run().await
}
