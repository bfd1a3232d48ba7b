//! The route-cors demo: an API origin and a page origin on loopback.
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! - API: `http://127.0.0.1:8081` (`DEMO_API_PORT`), routes annotated with `#[cors]`.
//! - Page: `http://127.0.0.1:8080` (`DEMO_PAGE_PORT`), which calls the API cross-origin and shows
//!   what the browser allowed. The same page opened as `http://localhost:8080` is an origin the
//!   API refuses (only its `DELETE` is allowed there).
//!
//! The servers live in `server.rs`, which the browser test (`tests/browser.rs`) runs too.

mod server;

use std::process::ExitCode;

/// The port in `var`, or `default` when it is not set.
fn port(var: &str, default: u16) -> Result<u16, String> {
    match std::env::var(var) {
        Err(_) => Ok(default),
        Ok(p) => p
            .parse()
            .map_err(|_| format!("{var}={p:?} is not a port number (0 picks any free port)")),
    }
}

/// A port already in use says which variable moves it. `server::bind` binds the API first, then
/// the page, and drops both on failure, so probing the two ports afterwards tells which is taken.
fn explain_bind_error(e: &std::io::Error, page_port: u16, api_port: u16) -> String {
    if e.kind() != std::io::ErrorKind::AddrInUse {
        return format!("cannot listen on 127.0.0.1: {e}");
    }
    let taken = |port: u16| port != 0 && std::net::TcpListener::bind(("127.0.0.1", port)).is_err();
    let which: Vec<String> = [("DEMO_API_PORT", api_port), ("DEMO_PAGE_PORT", page_port)]
        .into_iter()
        .filter(|&(_, port)| taken(port))
        .map(|(var, port)| {
            format!("127.0.0.1:{port} is already in use: set {var} to another port (0 picks any free one)")
        })
        .collect();
    if which.is_empty() {
        format!(
            "{e}: set DEMO_PAGE_PORT and DEMO_API_PORT to free ports (now {page_port} and {api_port})"
        )
    } else {
        which.join("\n")
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default()
            .default_filter_or("route_cors=info,actix_web::middleware::logger=info"),
    )
    .init();
    let ports =
        port("DEMO_PAGE_PORT", 8080).and_then(|page| Ok((page, port("DEMO_API_PORT", 8081)?)));
    let demo = ports.and_then(|(page_port, api_port)| {
        server::bind(page_port, api_port).map_err(|e| explain_bind_error(&e, page_port, api_port))
    });
    let demo = match demo {
        Ok(demo) => demo,
        Err(message) => {
            eprintln!("demo: {message}");
            return ExitCode::FAILURE;
        }
    };
    let (page_port, api_port) = (demo.page_port, demo.api_port);
    // What the API lets which origin read, once, before serving: what a reviewer asks first.
    log::info!(target: "route_cors", "{}", route_cors::Surface::of(server::api()).await);
    let api_base = format!("http://127.0.0.1:{api_port}");

    println!("route-cors demo");
    println!("  page: http://127.0.0.1:{page_port}/   (an allowed origin: open it in a browser)");
    println!(
        "  page: http://localhost:{page_port}/   (the same page from an origin the API refuses)"
    );
    println!("  api:  {api_base}");
    println!();
    println!("Try it with curl:");
    println!("  curl -i {api_base}/api/items/1 -H 'Origin: http://127.0.0.1:{page_port}'");
    println!("  curl -i {api_base}/api/items/1 -H 'Origin: https://evil.example'");
    println!(
        "  curl -i -X OPTIONS {api_base}/api/items/1 -H 'Origin: http://127.0.0.1:{page_port}' \\\n       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type, x-api-key'"
    );
    println!("Ctrl-C stops both servers.");
    match demo.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo: {e}");
            ExitCode::FAILURE
        }
    }
}
