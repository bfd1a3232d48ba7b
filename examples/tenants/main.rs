//! Tenants whose allowed origins live in SQLite and change while the server runs.
//!
//! ```text
//! cargo run --example tenants
//! ```
//!
//! - API: `http://127.0.0.1:8081` (`TENANTS_API_PORT`): `GET`/`PUT /t/{tenant}/data`, each
//!   tenant allowing only its own origins (`RuntimeOrigins::per_path_param("tenant")`).
//! - Admin: `POST` / `DELETE /admin/tenants/{tenant}/origins` with the origin as the body, and
//!   `GET /admin/tenants`, behind `Authorization: Bearer $TENANTS_ADMIN_TOKEN` (default
//!   `change-me`).
//! - Page: `http://127.0.0.1:8080` (`TENANTS_PAGE_PORT`), acme's front end, refused until its
//!   origin is added to acme's list.
//! - Database: `tenants.db` (`TENANTS_DB`), created on first run; edits made to it by another
//!   program are followed within a second.
//!
//! The servers live in `server.rs`, which the browser test (`tests/browser/tenants.rs`) runs too.

mod server;

use std::process::ExitCode;

fn env_port(var: &str, default: u16) -> Result<u16, String> {
    match std::env::var(var) {
        Err(_) => Ok(default),
        Ok(p) => p
            .parse()
            .map_err(|_| format!("{var}={p:?} is not a port number")),
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("route_cors=info,audit=info"),
    )
    .init();
    let db = std::env::var_os("TENANTS_DB").map_or_else(|| "tenants.db".into(), Into::into);
    let token = std::env::var("TENANTS_ADMIN_TOKEN").unwrap_or_else(|_| "change-me".to_owned());
    let servers = env_port("TENANTS_API_PORT", 8081)
        .and_then(|api| Ok((api, env_port("TENANTS_PAGE_PORT", 8080)?)))
        .and_then(|(api, page)| server::bind(db, token.clone(), api, page));
    let servers = match servers {
        Ok(servers) => servers,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let (api, page) = (servers.api_port, servers.page_port);
    println!(
        "API on http://127.0.0.1:{api}, acme's page on http://127.0.0.1:{page}. Try:\n\
         \n  open http://127.0.0.1:{page}    # both calls blocked: the origin is not in acme's list\
         \n  curl -X POST http://127.0.0.1:{api}/admin/tenants/acme/origins \\\n       -H 'Authorization: Bearer {token}' --data 'http://127.0.0.1:{page}'\
         \n  reload the page                  # both calls read, no restart\
         \n  curl -X DELETE http://127.0.0.1:{api}/admin/tenants/acme/origins \\\n       -H 'Authorization: Bearer {token}' --data 'http://127.0.0.1:{page}'\
         \n  curl http://127.0.0.1:{api}/admin/tenants -H 'Authorization: Bearer {token}'\
         \n  curl -X POST http://127.0.0.1:{api}/admin/tenants/acme/origins \\\n       -H 'Authorization: Bearer {token}' --data 'https://App.acme.example/'   # 422, with the fix"
    );
    match servers.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
