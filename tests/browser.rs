//! End to end in real browsers: the demo's servers (`examples/demo/server.rs`, run in-process on
//! free ports) and the demo page in headless Chromium (`DevTools` protocol over
//! `--remote-debugging-pipe`, `browser/chromium.rs`) and in headless Firefox ESR (`WebDriver BiDi`
//! over the WebSocket Firefox serves itself, `browser/firefox.rs`). Each engine loads the page
//! from the allowed origin (`127.0.0.1`) twice, as the fresh browser's first page and again, then
//! from the refused one (`localhost`); every row of its table and the exact CORS messages the
//! engine prints for the blocked calls are asserted against one table, `browser/rows.rs`, which
//! both engines and the `route_cors::testing` checker (`browser/checker.rs`) read.
//!
//! The two engine tests run in parallel, each with its own servers and a hard time bound.
//! Without a browser (`/usr/bin/chromium` or `$CHROMIUM`, `/usr/bin/firefox-esr` or `$FIREFOX`)
//! its test says it was skipped, except under `CI=true`, where it fails (`FIREFOX=/nowhere`
//! tries both).
//!
//! Screenshots of the page from the allowed origin (its second load):
//! `DEMO_SCREENSHOT=docs/demo.png` (Chromium), `DEMO_SCREENSHOT_FIREFOX=docs/demo-firefox.png`
//! (Firefox). `DEMO_PAGE_PORT=8080 DEMO_API_PORT=8081` give the usual ports; the engines then need
//! a run each (`cargo test --test browser chromium`, then `firefox`), as both cannot bind the
//! same ports.

#[path = "../examples/demo/server.rs"]
mod server;

// A crate root looks for modules beside itself; these live in `tests/browser/`.
#[path = "browser/checker.rs"]
mod checker;
#[path = "browser/chromium.rs"]
mod chromium;
#[path = "browser/firefox.rs"]
mod firefox;
#[path = "browser/rows.rs"]
mod rows;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rows::{BLOCKED, ROWS};

/// One engine's whole test, browser start to last assertion, must fit in this. The two engine
/// tests run side by side, so this is also about the bound of the test binary.
const TIME_LIMIT: Duration = Duration::from_secs(45);

/// Reads the page's table: each `tr[data-call]`'s cells, as JSON text.
const ROWS_SCRIPT: &str = "JSON.stringify([...document.querySelectorAll('tr[data-call]')]\
                           .map(tr => [...tr.cells].map(td => td.textContent)))";

/// The browser engines the demo is proven in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Chromium,
    Firefox,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Self::Chromium => "Chromium",
            Self::Firefox => "Firefox",
        }
    }

    /// `$CHROMIUM` / `$FIREFOX` when set (even to a missing file, which is how the skip is
    /// tried), else Debian's path.
    fn path(self) -> PathBuf {
        let (var, default) = match self {
            Self::Chromium => ("CHROMIUM", "/usr/bin/chromium"),
            Self::Firefox => ("FIREFOX", "/usr/bin/firefox-esr"),
        };
        std::env::var_os(var).map_or_else(|| default.into(), PathBuf::from)
    }

    fn install(self) -> &'static str {
        match self {
            Self::Chromium => "apt-get install -y chromium` (or point $CHROMIUM at it)",
            Self::Firefox => "apt-get install -y firefox-esr` (or point $FIREFOX at it)",
        }
    }

    fn screenshot_var(self) -> &'static str {
        match self {
            Self::Chromium => "DEMO_SCREENSHOT",
            Self::Firefox => "DEMO_SCREENSHOT_FIREFOX",
        }
    }

    /// Whether a console message is one of the engine's CORS messages, the ones the table
    /// accounts for.
    fn is_cors_message(self, text: &str) -> bool {
        match self {
            Self::Chromium => text.contains("blocked by CORS policy"),
            Self::Firefox => text.starts_with("Cross-Origin Request"),
        }
    }

    fn launch(self, path: &Path, deadline: Instant) -> Box<dyn Browser> {
        match self {
            Self::Chromium => Box::new(chromium::Chromium::launch(path, deadline)),
            Self::Firefox => Box::new(firefox::Firefox::launch(path, deadline)),
        }
    }
}

/// A running browser. Dropping it closes the browser, kills its process group and removes its
/// profile, on every path (a panic included).
trait Browser {
    /// Opens `url` in a new tab, waits for `#summary[data-done]`, reads the page and closes the
    /// tab.
    fn load(&mut self, url: &str) -> Page;
    /// The browser's process group (its first process's PID).
    fn process_group(&self) -> u32;
    /// The temporary directory with the profile and the browser's output.
    fn root(&self) -> &Path;
}

/// What the test read from one page load.
struct Page {
    /// Each `tr[data-call]`: call, expected, observed, result.
    rows: Vec<Vec<String>>,
    summary: String,
    /// The console messages of the tab.
    messages: Vec<String>,
    /// PNG of the whole page.
    screenshot: Vec<u8>,
}

#[test]
fn demo_page_in_chromium() {
    prove(Engine::Chromium);
}

#[test]
fn demo_page_in_firefox() {
    prove(Engine::Firefox);
}

/// One page load: which origin, and whether it was the browser's first page.
struct Visit<'a> {
    origin: &'a str,
    /// 0: the allowed origin, 1: the refused one (the table's columns).
    column: usize,
    /// The first page the freshly started browser loads (see `Row::first_page`).
    first: bool,
    page: Page,
}

/// The demo page in `engine`: every row, every CORS message, and the checker's verdicts. The
/// page is loaded from the allowed origin twice (the first page of a fresh browser, then again),
/// then from the refused origin.
fn prove(engine: Engine) {
    let path = engine.path();
    if !path.is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but there is no {} at {}: install it with `{}",
            engine.name(),
            path.display(),
            engine.install()
        );
        eprintln!(
            "SKIPPED the {name} half of tests/browser.rs: no {name} at {}; install it with \
             `sudo {} to run it",
            path.display(),
            engine.install(),
            name = engine.name(),
        );
        return;
    }
    let started = Instant::now();
    let (page_port, api_port) = start_demo();
    let api = format!("http://127.0.0.1:{api_port}");
    let allowed_origin = format!("http://127.0.0.1:{page_port}");
    let refused_origin = format!("http://localhost:{page_port}");

    let mut browser = engine.launch(&path, started + TIME_LIMIT);
    let (group, root) = (browser.process_group(), browser.root().to_owned());
    let mut visits = Vec::new();
    for (origin, column, first) in [
        (&allowed_origin, 0, true),
        (&allowed_origin, 0, false),
        (&refused_origin, 1, false),
    ] {
        let page = browser.load(&format!("{origin}/"));
        visits.push(Visit {
            origin,
            column,
            first,
            page,
        });
    }
    drop(browser);
    let elapsed = started.elapsed();
    let leftovers = leftovers(group, &root);
    assert!(
        leftovers.is_empty(),
        "{} processes still running: {leftovers:?}",
        engine.name()
    );
    assert!(!root.exists(), "{} was not removed", root.display());
    if let Ok(path) = std::env::var(engine.screenshot_var()) {
        // The second load from the allowed origin: what a person sees on their browser.
        std::fs::write(&path, &visits[1].page.screenshot).expect("write the screenshot");
        eprintln!("{} screenshot written to {path}", engine.name());
    }

    let verdicts = checker::verdicts([&allowed_origin, &refused_origin], &api);
    let mut failures = Vec::new();
    checker::compare_with_table(&verdicts, &mut failures);
    println!(
        "{}'s verdicts, and the checker's ({elapsed:.1?} for the browser part):",
        engine.name()
    );
    for visit in &visits {
        let which = if visit.first { " (first page)" } else { "" };
        println!(
            "  page from {}{which}: {}",
            visit.origin, visit.page.summary
        );
        check_rows(engine, visit, &verdicts, &mut failures);
        let want = rows::messages(engine, visit.column, visit.origin, &api);
        check_messages(
            engine,
            visit.origin,
            &visit.page.messages,
            &want,
            &mut failures,
        );
    }
    let messages: Vec<_> = visits
        .iter()
        .map(|v| {
            format!(
                "messages from {}:\n{}",
                v.origin,
                v.page.messages.join("\n")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "\n{}\n\n{}",
        failures.join("\n"),
        messages.join("\n\n")
    );
    println!(
        "{} browser test passed in {:.1?}",
        engine.name(),
        started.elapsed()
    );
}

/// Every row against the table, and the engine's verdict (the page shows "blocked") against the
/// checker's verdict of the row's last request the page sends.
fn check_rows(
    engine: Engine,
    visit: &Visit<'_>,
    verdicts: &[checker::RowVerdicts],
    failures: &mut Vec<String>,
) {
    let (name, origin, column, page) = (engine.name(), visit.origin, visit.column, &visit.page);
    let names: Vec<_> = page.rows.iter().map(|r| r[0].as_str()).collect();
    let want: Vec<_> = ROWS.iter().map(|r| r.call).collect();
    if names != want {
        failures.push(format!(
            "{name}, {origin}: rows {names:?}, expected {want:?}"
        ));
    }
    let mut passed = 0;
    for ((row, want), verdicts) in page.rows.iter().zip(ROWS).zip(verdicts) {
        let expected = want.shows[column];
        let also = want
            .first_page
            .iter()
            .filter(|(e, _)| *e == engine && visit.first && column == 0)
            .map(|(_, shows)| *shows);
        let allowed: Vec<&str> = std::iter::once(expected).chain(also).collect();
        let result = if row[2] == expected { "pass" } else { "FAIL" };
        passed += usize::from(row[2] == expected);
        let seen = if row[2] == BLOCKED {
            "blocked"
        } else {
            "allowed"
        };
        let checker = match verdicts[column].iter().rev().find_map(Option::as_ref) {
            Some(verdict) if verdict.is_allowed() => "allowed",
            Some(_) => "blocked",
            None => "none",
        };
        println!(
            "    {seen:<7} checker: {checker:<7} {:<66} {}",
            row[0], row[2]
        );
        if !allowed.contains(&row[2].as_str()) || row[1] != expected || row[3] != result {
            failures.push(format!(
                "{name}, {origin}: {:?}: observed {:?}, page expected {:?}, result {:?}; the test \
                 expects {allowed:?}",
                row[0], row[2], row[1], row[3]
            ));
        }
        if seen != checker {
            failures.push(format!(
                "{name}, {origin}: {:?}: {name} {seen}, the checker {checker}",
                row[0]
            ));
        }
    }
    let summary = format!(
        "{passed} of {} calls as expected, {} failed",
        ROWS.len(),
        ROWS.len() - passed
    );
    if page.summary != summary {
        failures.push(format!(
            "{name}, {origin}: summary {:?}, expected {summary:?}",
            page.summary
        ));
    }
}

/// The engine's CORS messages must be exactly `want`, in any order (a missing or an extra one
/// fails); a `*` in `want` stands for the page's per-load id (digits).
fn check_messages(
    engine: Engine,
    origin: &str,
    got: &[String],
    want: &[String],
    failures: &mut Vec<String>,
) {
    let matches = |pattern: &str, message: &str| match pattern.split_once('*') {
        None => pattern == message,
        Some((head, tail)) => message
            .strip_prefix(head)
            .and_then(|m| m.strip_suffix(tail))
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())),
    };
    let name = engine.name();
    let mut unmatched: Vec<&String> = want.iter().collect();
    for message in got.iter().filter(|m| engine.is_cors_message(m)) {
        match unmatched.iter().position(|w| matches(w, message)) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => failures.push(format!(
                "{name}, {origin}: unexpected console message: {message}"
            )),
        }
    }
    for w in unmatched {
        failures.push(format!("{name}, {origin}: missing console message: {w}"));
    }
}

/// Runs the demo's two servers on a thread of their own; returns (page port, API port).
fn start_demo() -> (u16, u16) {
    let port = |var: &str| {
        std::env::var(var)
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    };
    let (page_port, api_port) = (port("DEMO_PAGE_PORT"), port("DEMO_API_PORT"));
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let demo = match server::bind(page_port, api_port) {
                Ok(demo) => demo,
                Err(e) => {
                    tx.send(Err(e)).unwrap();
                    return;
                }
            };
            tx.send(Ok((demo.page_port, demo.api_port))).unwrap();
            demo.run().await.unwrap();
        });
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the demo servers did not start")
        .expect("bind the demo servers on 127.0.0.1")
}

/// A fresh temporary directory for one browser: `profile/` and the browser's output. Removed
/// when dropped.
struct Profile {
    root: PathBuf,
}

impl Profile {
    fn new(engine: Engine) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let root = std::env::temp_dir().join(format!(
            "route-cors-{}-{}-{nanos}",
            engine.name().to_lowercase(),
            std::process::id()
        ));
        std::fs::create_dir_all(root.join("profile")).expect("create the profile directory");
        Self { root }
    }

    fn dir(&self) -> PathBuf {
        self.root.join("profile")
    }

    /// The last lines of the browser's output, for a failure message.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.root.join("browser.log")).unwrap_or_default();
        let tail: Vec<_> = log.lines().rev().take(20).collect();
        format!(
            "browser output (last lines):\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The browser's first process, started in a process group of its own. Dropping it waits a
/// moment for the browser to exit (after the driver asked it to close), then kills, by PID,
/// that process and whatever is left in its group (renderers, content processes, utilities).
struct Group {
    child: Child,
}

impl Group {
    fn id(&self) -> u32 {
        self.child.id()
    }

    /// `Some` with how it ended once the browser has exited.
    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let until = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < until {
            thread::sleep(Duration::from_millis(20));
        }
        let pid = self.child.id();
        let _ = self.child.kill();
        let _ = Command::new("/bin/sh")
            .arg("-c")
            .arg(format!("kill -KILL -- -{pid} 2>/dev/null"))
            .status();
        let _ = self.child.wait();
    }
}

/// Live processes in process group `group` or whose command line mentions `marker`, after
/// giving killed ones a moment to go.
fn leftovers(group: u32, marker: &Path) -> Vec<u32> {
    let marker = marker.to_string_lossy();
    let scan = || -> Vec<u32> {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        dir.filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                // `pid (comm) state ppid pgrp ...`; comm may hold spaces, so read after the `)`.
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                let fields: Vec<_> = stat
                    .rsplit_once(')')
                    .map_or("", |(_, rest)| rest)
                    .split_whitespace()
                    .collect();
                let alive = fields.first().is_some_and(|state| *state != "Z");
                let in_group = fields.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(group);
                let mentions = std::fs::read(format!("/proc/{pid}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(marker.as_ref()));
                alive && (in_group || mentions)
            })
            .collect()
    };
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        let left = scan();
        if left.is_empty() || Instant::now() >= until {
            return left;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Standard base64 (the screenshots' encoding).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => u32::from(c - b'A'),
        b'a'..=b'z' => u32::from(c - b'a') + 26,
        b'0'..=b'9' => u32::from(c - b'0') + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u32> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0, |n, (i, d)| n | d << (18 - 6 * i));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
