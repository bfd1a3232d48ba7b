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

fn port(var: &str, default: u16) -> u16 {
    std::env::var(var)
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(default)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(
        env_logger::Env::default()
            .default_filter_or("route_cors=info,actix_web::middleware::logger=info"),
    )
    .init();
    let demo = server::bind(port("DEMO_PAGE_PORT", 8080), port("DEMO_API_PORT", 8081))?;
    let (page_port, api_port) = (demo.page_port, demo.api_port);
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
    demo.run().await
}
