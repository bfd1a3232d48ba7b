//! Allowed origins from the environment, checked at start-up with the rules `#[cors]` applies at
//! compile time. A bad list stops the server before it binds, with every bad entry and its fix.
//!
//! ```text
//! ALLOWED_ORIGINS='https://app.example.com, https://*.example.com' cargo run --example origins_from_env
//! ALLOWED_ORIGINS='https://App.example.com/, http://intranet.example.com' cargo run --example origins_from_env
//! ```
//!
//! The second one refuses to start: an origin has no path and is lower case, and plain `http://`
//! cannot go with `credentials` outside loopback. `PORT` moves the server (8080).

use std::process::ExitCode;

use actix_web::{App, HttpServer, Responder, get, web};
use route_cors::{RuntimeOrigins, cors};

static ORIGINS: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(ORIGINS), credentials)]
#[get("/me")]
async fn me() -> impl Responder {
    "alice\n"
}

fn main() -> ExitCode {
    let Ok(list) = std::env::var("ALLOWED_ORIGINS") else {
        eprintln!(
            "set ALLOWED_ORIGINS to the origins that may call this API, separated by commas, e.g.\n  \
             ALLOWED_ORIGINS='https://app.example.com, https://*.example.com' cargo run --example origins_from_env"
        );
        return ExitCode::FAILURE;
    };
    // Before the server starts: a wrong entry is a start-up error, not a silent refusal.
    if let Err(err) = ORIGINS.set_from_str(&list) {
        eprintln!("ALLOWED_ORIGINS: {err}");
        return ExitCode::FAILURE;
    }
    let port = match std::env::var("PORT").map(|p| p.parse::<u16>()) {
        Err(_) => 8080,
        Ok(Ok(port)) => port,
        Ok(Err(_)) => {
            eprintln!("PORT is not a port number");
            return ExitCode::FAILURE;
        }
    };
    // An entry without a wildcard, for the curl line.
    let example = list
        .split([',', ' '])
        .find(|o| !o.is_empty() && !o.contains('*'))
        .unwrap_or("https://app.example.com")
        .to_owned();
    match actix_web::rt::System::new().block_on(serve(port, &list, &example)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

/// The example's services, for `App::configure` (the tests list their CORS surface).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(me);
}

async fn serve(port: u16, list: &str, example: &str) -> std::io::Result<()> {
    let server = HttpServer::new(|| App::new().configure(routes))
        .workers(1)
        .bind(("127.0.0.1", port))
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                std::io::Error::new(
                    e.kind(),
                    format!("127.0.0.1:{port} is already in use: run with PORT=<another port>"),
                )
            } else {
                e
            }
        })?;
    let base = format!("http://127.0.0.1:{}", server.addrs()[0].port());
    println!("Listening on {base}, allowing {list}. Try:");
    println!("  curl -i {base}/me -H 'Origin: {example}'");
    println!("  curl -i {base}/me -H 'Origin: https://evil.example'   # refused: 403");
    server.run().await
}
