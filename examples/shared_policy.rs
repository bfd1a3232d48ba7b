//! One policy, checked once where it is defined, shared by every route of an API scope.
//!
//! ```text
//! cargo run --example shared_policy        # on 127.0.0.1:8080; PORT=... moves it
//! ```

mod common;

use actix_web::{App, HttpResponse, HttpServer, Responder, delete, get, post, web};
use route_cors::{Policy, cors, policy};

/// The single-page app's origins: production and any port of the developer's `localhost`.
const API: Policy = policy!(
    origins = ["https://app.example.com", "http://localhost:*"],
    allow_headers = "content-type",
    expose_headers = "x-request-id",
    max_age = 600,
);

#[cors(API)]
#[get("/orders")]
async fn list_orders() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "req-1"))
        .json(["order-1", "order-2"])
}

#[cors(API)]
#[post("/orders")]
async fn create_order(order: web::Json<serde_json::Value>) -> impl Responder {
    HttpResponse::Created().json(order.into_inner())
}

#[cors(API)]
#[delete("/orders/{id}")]
async fn cancel_order(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(format!("order {id} cancelled\n"))
}

/// The example's services, for `App::configure` (the tests list their CORS surface).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .service(list_orders)
            .service(create_order)
            .service(cancel_order),
    );
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port = common::port()?;
    let server = HttpServer::new(|| App::new().configure(routes))
        .workers(1)
        .bind(("127.0.0.1", port))
        .map_err(|e| common::explain_bind_error(e, port))?;
    let base = format!("http://127.0.0.1:{}/api", server.addrs()[0].port());
    let dev = "Origin: http://localhost:5173";

    println!("Listening on {base}. Try:");
    println!(
        "  curl -i {base}/orders -H '{dev}'                                  # allowed, exposes x-request-id"
    );
    println!(
        "  curl -i -X OPTIONS {base}/orders -H '{dev}' -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type'"
    );
    println!(
        "  curl -i -X POST {base}/orders -H '{dev}' -H 'content-type: application/json' -d '{{\"item\":\"chair\"}}'"
    );
    println!(
        "  curl -i -X OPTIONS {base}/orders/7 -H '{dev}' -H 'Access-Control-Request-Method: DELETE'   # its own route, same policy"
    );
    println!(
        "  curl -i -X DELETE {base}/orders/7 -H 'Origin: https://evil.example'                        # refused: 403"
    );
    server.run().await
}
