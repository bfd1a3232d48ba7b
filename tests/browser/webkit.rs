//! `WebKit` (Safari's engine) as `WebKitGTK`'s `MiniBrowser`, driven by `WebKitWebDriver` over
//! classic `WebDriver` (JSON over HTTP; the driver has no `WebDriver BiDi`), on an `Xvfb` display
//! of its own (`MiniBrowser` has no headless mode).
//!
//! `Xvfb` picks a free display number itself (`-displayfd`) and leads the process group that the
//! driver joins, so `MiniBrowser` and its web and network processes are in it too: dropping the
//! browser ends the session, stops the driver and the display, and kills what is left of the
//! group, on every path (a panic included).
//!
//! What `WebKit` does not give: a blocked `fetch` rejects with `TypeError: Load failed` and no
//! reason, and the console is out of reach (no `BiDi`, no log endpoint in the driver, and
//! `MiniBrowser --enable-write-console-messages-to-stdout=true` does not reach the view the
//! driver opens). So `WebKit`'s half compares verdicts, not messages.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Browser, Engine, Group, Page, Profile, TIME_LIMIT, base64};

/// Where Debian's `libwebkit2gtk-4.1-0` (and, on newer releases, `libwebkitgtk-6.0-4`) puts
/// `MiniBrowser`; `$MINIBROWSER` overrides.
const MINIBROWSERS: &[&str] = &[
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser",
];

/// `Xvfb`, `$XVFB` overrides.
fn xvfb() -> PathBuf {
    std::env::var_os("XVFB").map_or_else(|| "/usr/bin/Xvfb".into(), PathBuf::from)
}

/// `MiniBrowser`: `$MINIBROWSER`, else the first of [`MINIBROWSERS`] that exists.
fn minibrowser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MINIBROWSER") {
        return Some(path.into());
    }
    MINIBROWSERS
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
}

/// What else the `WebKit` half needs beside the driver, or what is missing.
pub fn missing() -> Option<String> {
    let xvfb = xvfb();
    if !xvfb.is_file() {
        return Some(format!("no Xvfb at {}", xvfb.display()));
    }
    match minibrowser() {
        Some(path) if path.is_file() => None,
        Some(path) => Some(format!("no MiniBrowser at {}", path.display())),
        None => Some(format!("no MiniBrowser at any of {MINIBROWSERS:?}")),
    }
}

/// `MiniBrowser` in a `WebDriver` session. Dropping it ends the session; its fields then stop
/// the driver and the display, kill what is left of the process group and remove the profile.
pub struct WebKit {
    port: u16,
    session: Option<String>,
    /// The window the session opened with, kept open between loads.
    home: String,
    deadline: Instant,
    driver: Driver,
    // Dropped in this order: the driver (above), the display and its group, then the profile.
    process: Group,
    profile: Profile,
}

/// `WebKitWebDriver`, in the display's process group. Dropping it kills it.
struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl WebKit {
    pub fn launch(driver: &Path, deadline: Instant) -> Self {
        let profile = Profile::new(Engine::WebKit);
        let home = profile.root.join("home");
        std::fs::create_dir_all(&home).expect("create the browser's home");
        let log =
            std::fs::File::create(profile.root.join("browser.log")).expect("create browser.log");
        let share = || log.try_clone().expect("share browser.log");
        // `-displayfd 1`: Xvfb takes the first free display number and writes it to stdout once
        // it accepts clients. The screen's height leaves room for the full-page screenshot.
        let mut xvfb = Command::new(xvfb())
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
            .arg("1280x2400x24")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(share())
            .process_group(0)
            .spawn()
            .expect("start Xvfb");
        let stdout = xvfb.stdout.take().unwrap();
        let group = xvfb.id();
        let process = Group { child: xvfb };
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let left = deadline.saturating_duration_since(Instant::now());
        let display = match rx.recv_timeout(left) {
            Ok(line) if line.trim().parse::<u32>().is_ok() => format!(":{}", line.trim()),
            other => panic!(
                "Xvfb gave no display number ({other:?})\n{}",
                profile.log_tail()
            ),
        };
        let port = crate::free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .env("DISPLAY", &display)
            .env("HOME", &home)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_STATE_HOME")
            .stdin(Stdio::null())
            .stdout(share())
            .stderr(share())
            .process_group(i32::try_from(group).expect("a PID fits in i32"))
            .spawn()
            .expect("start WebKitWebDriver");
        let mut browser = Self {
            port,
            session: None,
            home: String::new(),
            deadline,
            driver: Driver { child },
            process,
            profile,
        };
        let binary = minibrowser().expect("checked by `missing`");
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "webkitgtk:browserOptions": { "binary": binary, "args": ["--automation"] },
        } } });
        let session = browser.wait_for_driver(&capabilities);
        browser.session = Some(session);
        let home = browser.command("GET", "/window", None);
        home.as_str()
            .expect("a window handle")
            .clone_into(&mut browser.home);
        browser
    }

    /// Asks for a session until the driver answers, while it starts, until the deadline.
    fn wait_for_driver(&mut self, capabilities: &Value) -> String {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        loop {
            if let Ok(Some(status)) = self.driver.child.try_wait() {
                panic!(
                    "WebKitWebDriver exited ({status})\n{}",
                    self.profile.log_tail()
                );
            }
            assert!(
                Instant::now() < self.deadline,
                "no WebKitWebDriver on port {} within the test's {TIME_LIMIT:?}\n{}",
                self.port,
                self.profile.log_tail()
            );
            if TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok() {
                let value = self.request("POST", "/session", Some(capabilities));
                return value["sessionId"]
                    .as_str()
                    .expect("a session id")
                    .to_owned();
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// A command of the session: `path` after `/session/{id}`.
    fn command(&mut self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let session = self.session.clone().expect("a session");
        self.request(method, &format!("/session/{session}{path}"), body)
    }

    /// One HTTP/1.0 request to the driver (no chunked answers, the connection closes after
    /// it); the answer's `value`, or a panic with the driver's error.
    fn request(&mut self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let left = self.deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "no time left for {method} {path} within the test's {TIME_LIMIT:?}"
        );
        let body = body.map(Value::to_string).unwrap_or_default();
        let port = self.port;
        let answer = (|| -> std::io::Result<Vec<u8>> {
            let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
            stream.set_read_timeout(Some(left))?;
            write!(
                stream,
                "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\
                 Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )?;
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer)?;
            Ok(answer)
        })()
        .unwrap_or_else(|e| {
            panic!(
                "{method} {path} to WebKitWebDriver: {e}\n{}",
                self.profile.log_tail()
            )
        });
        let text = String::from_utf8_lossy(&answer);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split_whitespace().nth(1).unwrap_or("");
        let value: Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e} in the driver's answer {text:?}"));
        assert!(
            status == "200",
            "{method} {path}: {status} {} {}\n{}",
            value["value"]["error"],
            value["value"]["message"],
            self.profile.log_tail()
        );
        value["value"].clone()
    }

    /// Runs `script` (a function body) in the current window and returns its value.
    fn eval(&mut self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": script, "args": [] })),
        )
    }
}

impl Browser for WebKit {
    fn load(&mut self, url: &str) -> Page {
        let tab = self.command("POST", "/window/new", Some(&json!({ "type": "window" })));
        let tab = tab["handle"].as_str().expect("a window handle").to_owned();
        self.command("POST", "/window", Some(&json!({ "handle": tab })));
        let rect = |height: u64| json!({ "width": 960, "height": height });
        self.command("POST", "/window/rect", Some(&rect(800)));
        self.command("POST", "/url", Some(&json!({ "url": url })));
        while self.eval("return document.querySelector('#summary[data-done]') !== null")
            != json!(true)
        {
            assert!(
                Instant::now() < self.deadline,
                "{url}: #summary[data-done] did not appear within {TIME_LIMIT:?}"
            );
            thread::sleep(Duration::from_millis(50));
        }
        let rows = self.eval(&format!("return {}", crate::ROWS_SCRIPT));
        let rows: Vec<Vec<String>> = serde_json::from_str(rows.as_str().unwrap()).unwrap();
        let summary = self.eval("return document.getElementById('summary').textContent");
        // The whole page in the screenshot: the window's height is the viewport's plus what the
        // window takes around it, so it is set twice.
        let size = "return [document.documentElement.scrollHeight, window.innerHeight]";
        for _ in 0..2 {
            let [page, viewport] = serde_json::from_value::<[u64; 2]>(self.eval(size)).unwrap();
            let window = self.command("GET", "/window/rect", None)["height"]
                .as_u64()
                .unwrap();
            let height = (window + page).saturating_sub(viewport).clamp(800, 2400);
            self.command("POST", "/window/rect", Some(&rect(height)));
        }
        let shot = self.command("GET", "/screenshot", None);
        let screenshot = base64(shot.as_str().unwrap());
        self.command("DELETE", "/window", None);
        let home = self.home.clone();
        self.command("POST", "/window", Some(&json!({ "handle": home })));
        Page {
            rows,
            summary: summary.as_str().unwrap().to_owned(),
            // Out of reach: see the module's docs.
            messages: Vec::new(),
            screenshot,
        }
    }

    fn process_group(&self) -> u32 {
        self.process.id()
    }

    fn root(&self) -> &Path {
        &self.profile.root
    }
}

impl Drop for WebKit {
    fn drop(&mut self) {
        // Closing the session closes MiniBrowser; then the driver is killed (`Driver`), Xvfb is
        // asked to stop (it removes its lock file and socket), and `Group` waits for it and
        // kills what is left of the group.
        if let Some(session) = self.session.take()
            && !self
                .deadline
                .saturating_duration_since(Instant::now())
                .is_zero()
        {
            let port = self.port;
            let _ = (|| -> std::io::Result<()> {
                let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
                stream.set_read_timeout(Some(Duration::from_secs(5)))?;
                write!(
                    stream,
                    "DELETE /session/{session} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
                )?;
                stream.read_to_end(&mut Vec::new())?;
                Ok(())
            })();
        }
        let _ = self.driver.child.kill();
        let _ = self.driver.child.wait();
        let _ = Command::new("/bin/sh")
            .arg("-c")
            .arg(format!("kill -TERM {} 2>/dev/null", self.process.id()))
            .status();
    }
}
