//! The tenants example's servers, shared by `main.rs` and the browser test
//! (`tests/browser/tenants.rs`): an API whose allowed origins are each tenant's own, kept in
//! SQLite, an authenticated admin endpoint that adds and removes them, and a page to call the
//! API from.
//!
//! The database is the source of truth. Every change through the admin endpoint is written in a
//! transaction, then the whole per-tenant list is reloaded from the database and swapped in; a
//! list the rules refuse rolls the transaction back, so the database never holds what the API
//! would not accept. A watcher thread reloads too when another connection changes the database
//! (`PRAGMA data_version`, polled every 250 ms), so an edit made with `sqlite3` is followed
//! within a second. The database is read at reload time only, never per request.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, Responder, get, put, web};
use route_cors::{OriginListError, RuntimeOrigins, cors};
use rusqlite::Connection;

/// Each tenant's origins, chosen by the `{tenant}` path parameter of the route a request
/// matched: `acme`'s front end never reads `globex`'s data.
pub static TENANT_ORIGINS: RuntimeOrigins = RuntimeOrigins::per_path_param("tenant");

/// A tenant's data. `max_age = 0`: a browser keeps no preflight answer, so an origin removed
/// is refused at its next preflight, not up to `max_age` later.
#[cors(origins = runtime(TENANT_ORIGINS), allow_headers = ["content-type"], max_age = 0)]
#[get("/t/{tenant}/data")]
async fn data(tenant: web::Path<String>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "tenant": tenant.as_str(), "plan": "gold" }))
}

/// A write, which a browser preflights (`PUT` with `content-type: application/json`).
#[cors(origins = runtime(TENANT_ORIGINS), allow_headers = ["content-type"], max_age = 0)]
#[put("/t/{tenant}/data")]
async fn save(tenant: web::Path<String>, body: web::Bytes) -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "tenant": tenant.as_str(), "saved": body.len() }))
}

/// The database and the admin token, shared by the admin handlers.
pub struct Admin {
    db: Mutex<Connection>,
    token: String,
}

/// Opens (creating on first run) the database at `path`: the `origins` table, seeded with two
/// tenants the first time.
///
/// # Errors
///
/// What SQLite says.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let db = Connection::open(path)?;
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS origins (
             tenant TEXT NOT NULL,
             origin TEXT NOT NULL,
             PRIMARY KEY (tenant, origin)
         );
         INSERT OR IGNORE INTO origins (tenant, origin) VALUES
             ('acme', 'https://app.acme.example'),
             ('globex', 'https://globex.example');",
    )?;
    Ok(db)
}

/// Why a reload failed: the database, or the rules (every bad row).
#[derive(Debug)]
pub enum ReloadError {
    /// SQLite failed.
    Db(rusqlite::Error),
    /// A row breaks the rules: the lists in force are unchanged.
    Rules(OriginListError),
}

impl std::fmt::Display for ReloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Db(e) => write!(f, "database: {e}"),
            Self::Rules(e) => write!(f, "{e}"),
        }
    }
}

/// Reads every tenant's origins and swaps them in at once (`replace_tenants`): each tenant's
/// list is checked with the rules of `#[cors]`; a bad row refuses the whole reload.
///
/// # Errors
///
/// A database error, or every bad row.
pub fn reload(db: &Connection, by: &str) -> Result<usize, ReloadError> {
    let mut stmt = db
        .prepare("SELECT tenant, origin FROM origins ORDER BY tenant, rowid")
        .map_err(ReloadError::Db)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(ReloadError::Db)?;
    let mut tenants: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows {
        let (tenant, origin) = row.map_err(ReloadError::Db)?;
        match tenants.last_mut() {
            Some((t, origins)) if *t == tenant => origins.push(origin),
            _ => tenants.push((tenant, vec![origin])),
        }
    }
    let count = tenants.len();
    TENANT_ORIGINS
        .update()
        .by(by)
        .replace_tenants(tenants)
        .map_err(ReloadError::Rules)?;
    Ok(count)
}

/// `Authorization: Bearer <token>`, compared without an early exit.
fn authorized(req: &HttpRequest, token: &str) -> bool {
    let Some(given) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// `POST /admin/tenants/{tenant}/origins` (add) and `DELETE` (remove), the origin as the plain
/// text body: written in a transaction, reloaded, rolled back if the rules refuse the result.
/// 401 without the token, 422 with every problem when refused, 404 removing what is not there.
async fn edit(
    req: HttpRequest,
    tenant: web::Path<String>,
    body: String,
    admin: web::Data<Admin>,
) -> HttpResponse {
    if !authorized(&req, &admin.token) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .body("admin token required\n");
    }
    let origin = body.trim();
    let adding = req.method() == actix_web::http::Method::POST;
    let mut db = admin
        .db
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let result = (|| -> Result<usize, ReloadError> {
        let tx = db.transaction().map_err(ReloadError::Db)?;
        let sql = if adding {
            "INSERT OR IGNORE INTO origins (tenant, origin) VALUES (?1, ?2)"
        } else {
            "DELETE FROM origins WHERE tenant = ?1 AND origin = ?2"
        };
        let changed = tx
            .execute(sql, [tenant.as_str(), origin])
            .map_err(ReloadError::Db)?;
        if changed > 0 {
            // Checked before the commit: a refused list rolls the transaction back.
            reload(&tx, "admin")?;
            tx.commit().map_err(ReloadError::Db)?;
        }
        Ok(changed)
    })();
    match result {
        Ok(0) if adding => HttpResponse::Ok().body("already there\n"),
        Ok(0) => HttpResponse::NotFound().body("no such origin for this tenant\n"),
        Ok(_) => HttpResponse::Ok().body(if adding { "added\n" } else { "removed\n" }),
        Err(ReloadError::Rules(e)) => HttpResponse::UnprocessableEntity().body(format!("{e}\n")),
        Err(ReloadError::Db(e)) => HttpResponse::InternalServerError().body(format!("{e}\n")),
    }
}

/// `GET /admin/tenants`: every tenant's list in force, as JSON.
async fn list(req: HttpRequest, admin: web::Data<Admin>) -> HttpResponse {
    if !authorized(&req, &admin.token) {
        return HttpResponse::Unauthorized().body("admin token required\n");
    }
    let lists: serde_json::Map<String, serde_json::Value> = TENANT_ORIGINS
        .tenants()
        .into_iter()
        .map(|t| {
            let entries = TENANT_ORIGINS
                .tenant(&t)
                .map(|l| l.entries())
                .unwrap_or_default();
            (t, entries.into())
        })
        .collect();
    HttpResponse::Ok().json(lists)
}

/// The page: calls the API of tenant `acme` cross-origin and shows what the browser allowed,
/// one row per call (`tr[data-call]`), then `#summary[data-done]`.
async fn page(api: web::Data<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(include_str!("page.html").replace("__API__", &api))
}

/// The tenant API's `#[cors]` routes, for `App::configure` (the tests list their CORS surface).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(data).service(save);
}

/// The two servers, bound.
pub struct Tenants {
    /// The API's port.
    pub api_port: u16,
    /// The page's port.
    pub page_port: u16,
    api: Server,
    page: Server,
}

impl Tenants {
    /// Runs both servers until they stop.
    ///
    /// # Errors
    ///
    /// As `Server`'s.
    pub async fn run(self) -> std::io::Result<()> {
        let (api, page) = futures_join(self.api, self.page).await;
        api.and(page)
    }
}

async fn futures_join(a: Server, b: Server) -> (std::io::Result<()>, std::io::Result<()>) {
    let b = actix_web::rt::spawn(b);
    let a = a.await;
    let b = b.await.unwrap_or_else(|e| Err(std::io::Error::other(e)));
    (a, b)
}

/// Opens the database at `db_path`, loads every tenant's list, starts the watcher, and binds
/// the API and the page on 127.0.0.1 (port 0: any free one). The audit log is `log::info!`.
///
/// # Errors
///
/// The database, a bad row in it, or a port in use.
pub fn bind(
    db_path: PathBuf,
    token: String,
    api_port: u16,
    page_port: u16,
) -> Result<Tenants, String> {
    let db = open(&db_path).map_err(|e| format!("{}: {e}", db_path.display()))?;
    // One hook per program; a second `bind` (tests) keeps the first.
    let _ = TENANT_ORIGINS.on_change(|change| log::info!(target: "audit", "{change}"));
    let count = reload(&db, "start-up").map_err(|e| format!("{}: {e}", db_path.display()))?;
    log::info!(target: "audit", "{count} tenants loaded from {}", db_path.display());
    watch(db_path);
    let admin = web::Data::new(Admin {
        db: Mutex::new(db),
        token,
    });
    let api = HttpServer::new(move || {
        App::new()
            .app_data(admin.clone())
            .configure(routes)
            .route("/admin/tenants", web::get().to(list))
            .route("/admin/tenants/{tenant}/origins", web::post().to(edit))
            .route("/admin/tenants/{tenant}/origins", web::delete().to(edit))
    })
    .workers(2)
    .bind(("127.0.0.1", api_port))
    .map_err(|e| format!("API on 127.0.0.1:{api_port}: {e}"))?;
    let api_port = api.addrs()[0].port();
    let api_base = web::Data::new(format!("http://127.0.0.1:{api_port}"));
    let page_server = HttpServer::new(move || {
        App::new()
            .app_data(api_base.clone())
            .route("/", web::get().to(page))
    })
    .workers(1)
    .bind(("127.0.0.1", page_port))
    .map_err(|e| format!("page on 127.0.0.1:{page_port}: {e}"))?;
    let page_port = page_server.addrs()[0].port();
    Ok(Tenants {
        api_port,
        page_port,
        api: api.run(),
        page: page_server.run(),
    })
}

/// Reloads when another connection changes the database (`sqlite3 tenants.db "INSERT ..."`),
/// polling `PRAGMA data_version` every 250 ms on a connection of its own.
fn watch(db_path: PathBuf) {
    std::thread::spawn(move || {
        let Ok(db) = Connection::open(&db_path) else {
            return;
        };
        let version = |db: &Connection| -> Option<i64> {
            db.query_row("PRAGMA data_version", [], |r| r.get(0)).ok()
        };
        let mut seen = version(&db);
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let now = version(&db);
            if now != seen {
                seen = now;
                if let Err(e) = reload(&db, "database watcher") {
                    // The lists in force stay: a bad row never reaches a request.
                    log::error!(target: "audit", "reload refused, lists unchanged: {e}");
                }
            }
        }
    });
}
