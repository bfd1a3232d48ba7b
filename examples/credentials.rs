//! Cookies across origins: a session (actix-session's cookie store) that the page at
//! `https://app.example.com` or on `http://localhost:<any port>` may use with
//! `fetch(url, { credentials: "include" })`.
//!
//! ```text
//! cargo run --example credentials          # on 127.0.0.1:8080; PORT=... moves it
//! ```
//!
//! With `credentials`, the browser sends the page's cookies for this API and lets the script
//! read the answer, only if the answer names the page's origin (never `*`) and says
//! `Access-Control-Allow-Credentials: true`: `#[cors(..., credentials)]` does both, for every
//! response of the route. Which cookies the browser sends is the cookie's business: a page on
//! another *site* only gets `SameSite=None; Secure` cookies (HTTPS), and browsers that block
//! third-party cookies send none; pages on the same site (`app.example.com` calling
//! `api.example.com`) get the default `SameSite=Lax` ones.

mod common;

use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionMiddleware};
use actix_web::cookie::Key;
use actix_web::{App, HttpResponse, HttpServer, Responder, error, get, post, web};
use route_cors::{Policy, cors, policy};

const PAGE: Policy = policy!(
    origins = ["https://app.example.com", "http://localhost:*"],
    credentials,
);

/// Starts a session (a real app checks a password first): the answer sets the session cookie.
#[cors(PAGE)]
#[post("/login/{user}")]
async fn login(session: Session, user: web::Path<String>) -> actix_web::Result<impl Responder> {
    session.insert("user", user.into_inner())?;
    Ok(HttpResponse::NoContent())
}

/// Who the session cookie says the caller is; 401 without one, with the CORS headers, so the
/// page can read the 401 too.
#[cors(PAGE)]
#[get("/me")]
async fn me(session: Session) -> actix_web::Result<String> {
    let user = session.get::<String>("user")?;
    user.ok_or_else(|| error::ErrorUnauthorized("not logged in\n"))
}

#[cors(PAGE)]
#[post("/logout")]
async fn logout(session: Session) -> impl Responder {
    session.purge();
    HttpResponse::NoContent()
}

/// The example's services, for `App::configure` (the tests list their CORS surface).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(login).service(me).service(logout);
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port = common::port()?;
    // Signs and encrypts the cookie. A key made at start-up ends every session on restart: in
    // production, load 64 secret bytes from configuration with `Key::from`.
    let key = Key::generate();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(
                SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                    // This example speaks plain HTTP on 127.0.0.1; behind HTTPS keep the
                    // default (`Secure`) and, for pages on another site, add
                    // `.cookie_same_site(actix_web::cookie::SameSite::None)`.
                    .cookie_secure(false)
                    .build(),
            )
            .configure(routes)
    })
    .workers(1)
    .bind(("127.0.0.1", port))
    .map_err(|e| common::explain_bind_error(e, port))?;
    let base = format!("http://127.0.0.1:{}", server.addrs()[0].port());
    let origin = "Origin: https://app.example.com";

    println!("Listening on {base}. Try (the cookie jar plays the browser):");
    println!("  curl -i -c jar.txt -X POST {base}/login/alice -H '{origin}'");
    println!(
        "  curl -i -b jar.txt {base}/me -H '{origin}'                      # 200 alice, Access-Control-Allow-Credentials: true"
    );
    println!(
        "  curl -i {base}/me -H '{origin}'                                 # no cookie: 401, still readable by the page"
    );
    println!(
        "  curl -i -b jar.txt {base}/me -H 'Origin: https://evil.example'  # refused: 403, the handler never runs"
    );
    server.run().await
}
