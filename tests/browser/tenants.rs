//! The tenants example (`examples/tenants/`) in a real browser: acme's page, on an origin not
//! in acme's list, is refused; the origin is added through the admin endpoint; the same page,
//! with no server restart, reads the API; removed again, it is refused again. The routes have
//! `max_age = 0`, so no cached preflight answer outlives the change (see the README's
//! "Origins that change while serving" for what a browser keeps otherwise).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::{Engine, Page, TIME_LIMIT, leftovers, tenants_server};

const TOKEN: &str = "browser-test-token";

/// What a load of the page must show: both calls read, or both blocked.
fn expect(engine: Engine, step: &str, page: &Page, read: bool, failures: &mut Vec<String>) {
    let cells: Vec<&str> = page
        .rows
        .iter()
        .map(|row| row.get(1).map_or("", String::as_str))
        .collect();
    let ok = cells.len() == 2
        && cells.iter().all(|cell| {
            if read {
                *cell == "read 200 acme"
            } else {
                *cell == "blocked"
            }
        });
    if !ok {
        failures.push(format!(
            "{} {step}: expected every call {}, the page shows {cells:?} ({})",
            engine.name(),
            if read { "read" } else { "blocked" },
            page.summary
        ));
    }
}

/// `method` on the admin endpoint for tenant `acme` with `body`: the status code.
fn admin(api_port: u16, method: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", api_port)).expect("connect to the API");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} /admin/tenants/acme/origins HTTP/1.1\r\nHost: 127.0.0.1:{api_port}\r\n\
         Authorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
}

/// Held by the engine whose tenants scenario runs (see [`prove`]).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs the tenants servers on a thread of their own, with a fresh database file; returns
/// (API port, page port).
fn start() -> (u16, u16) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let db = std::env::temp_dir().join(format!(
        "route-cors-tenants-{}-{nanos}.db",
        std::process::id()
    ));
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match tenants_server::bind(db, TOKEN.to_owned(), 0, 0) {
                Ok(servers) => {
                    tx.send(Ok((servers.api_port, servers.page_port))).unwrap();
                    servers.run().await.unwrap();
                }
                Err(e) => tx.send(Err(e)).unwrap(),
            }
        });
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the tenants servers did not start")
        .expect("bind the tenants servers on 127.0.0.1")
}

/// The scenario in `engine`.
pub fn prove(engine: Engine) {
    let Some(path) = engine.present_or_skip("the tenants scenario") else {
        return;
    };
    // One engine at a time: the example's lists are one process-wide static, and each run's
    // server replaces every tenant's list from its own database, so runs side by side would
    // take each other's page origin away (a flaky "blocked after it is added").
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let started = Instant::now();
    let (api_port, page_port) = start();
    let page_origin = format!("http://127.0.0.1:{page_port}");
    let url = format!("{page_origin}/");
    let mut browser = engine.launch(&path, started + TIME_LIMIT);
    let (group, root) = (browser.process_group(), browser.root().to_owned());
    let mut failures = Vec::new();

    let before = browser.load(&url);
    expect(
        engine,
        "before the origin is added",
        &before,
        false,
        &mut failures,
    );
    let added = admin(api_port, "POST", &page_origin);
    let after_add = browser.load(&url);
    expect(engine, "after it is added", &after_add, true, &mut failures);
    let removed = admin(api_port, "DELETE", &page_origin);
    let after_remove = browser.load(&url);
    expect(
        engine,
        "after it is removed",
        &after_remove,
        false,
        &mut failures,
    );
    // The endpoint refuses without the token, and a bad origin with its fix.
    let bad = admin(api_port, "POST", "https://App.acme.example/");
    drop(browser);
    let leftovers = leftovers(group, &root);
    assert!(
        leftovers.is_empty(),
        "{} processes still running: {leftovers:?}",
        engine.name()
    );
    assert_eq!((added, removed, bad), (200, 200, 422), "admin answers");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    println!(
        "{}: refused, added, read, removed, refused again: passed in {:.1?}",
        engine.name(),
        started.elapsed()
    );
}
