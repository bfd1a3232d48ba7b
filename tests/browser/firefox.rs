//! Headless Firefox ESR driven through `WebDriver BiDi`, which Firefox serves itself at
//! `ws://127.0.0.1:<port>/session` with `--remote-debugging-port` (no geckodriver).

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use crate::{Browser, Engine, Group, Page, Profile, TIME_LIMIT, base64, free_port};

/// The fresh profile's `user.js`. The machine's only network is loopback, and a test should not
/// depend on more: no updates, telemetry, studies, remote settings, safe browsing lists,
/// sponsored content, captive-portal or connectivity checks, DNS-over-HTTPS, prefetching or
/// speculative connections, no first-run pages or session restore. `WebDriver BiDi` sets many of
/// these itself (its "recommended preferences"); they are written down here so the test does not
/// depend on its choices. None of them touches CORS, cookies or the caches.
const USER_JS: &str = r#"
user_pref("app.update.disabledForTesting", true);
user_pref("app.update.auto", false);
user_pref("app.normandy.enabled", false);
user_pref("app.normandy.api_url", "");
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("services.settings.server", "data:,");
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.usage.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.archive.enabled", false);
user_pref("toolkit.telemetry.server", "");
user_pref("browser.newtabpage.activity-stream.feeds.telemetry", false);
user_pref("browser.newtabpage.activity-stream.telemetry", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.blockedURIs.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.downloads.remote.enabled", false);
user_pref("browser.safebrowsing.provider.google4.updateURL", "");
user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("extensions.blocklist.enabled", false);
user_pref("extensions.systemAddon.update.enabled", false);
user_pref("media.gmp-manager.url", "");
user_pref("media.gmp-provider.enabled", false);
user_pref("browser.search.update", false);
user_pref("browser.region.network.url", "");
user_pref("browser.region.update.enabled", false);
user_pref("geo.provider.network.url", "");
user_pref("dom.push.connection.enabled", false);
user_pref("identity.fxaccounts.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("captivedetect.canonicalURL", "");
user_pref("network.connectivity-service.enabled", false);
user_pref("network.trr.mode", 5);
user_pref("network.proxy.type", 0);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("network.predictor.enabled", false);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("browser.topsites.contile.enabled", false);
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.startup.page", 0);
user_pref("browser.startup.homepage", "about:blank");
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("startup.homepage_welcome_url", "about:blank");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.translations.enable", false);
user_pref("browser.ml.enable", false);
user_pref("browser.sessionstore.resume_from_crash", false);
user_pref("toolkit.startup.max_resumed_crashes", -1);
user_pref("browser.tabs.warnOnClose", false);
user_pref("browser.warnOnQuit", false);
user_pref("datareporting.policy.dataSubmissionPolicyBypassNotification", true);
"#;

/// The spec-strict run's preference: `Access-Control-Allow-Headers: *` does not cover
/// `Authorization`, as the Fetch standard says ("CORS non-wildcard request-header name").
/// Chromium and `WebKit`, and Firefox by default, let `*` cover it; with this, Firefox blocks a
/// request whose preflight answer relies on that, so a pass proves that no answer of the demo's
/// does.
pub const SPEC_STRICT: &str =
    "user_pref(\"network.cors_preflight.authorization_covered_by_wildcard\", false);\n";

/// Firefox with a `WebDriver BiDi` session. Dropping it asks the browser to close; its fields then
/// kill what is left of the process group and remove the profile.
pub struct Firefox {
    socket: Option<WebSocket<TcpStream>>,
    /// Events received while waiting for answers.
    events: Vec<Value>,
    next_id: u64,
    deadline: Instant,
    // Dropped in this order: the processes, then their profile.
    process: Group,
    profile: Profile,
}

impl Firefox {
    /// `engine` is [`Engine::Firefox`], or [`Engine::FirefoxStrict`] for the same browser with
    /// [`SPEC_STRICT`] added to its preferences.
    pub fn launch(engine: Engine, firefox: &Path, deadline: Instant) -> Self {
        let profile = Profile::new(engine);
        let prefs = if engine == Engine::FirefoxStrict {
            format!("{USER_JS}{SPEC_STRICT}")
        } else {
            USER_JS.to_owned()
        };
        std::fs::write(profile.dir().join("user.js"), prefs).expect("write user.js");
        // Firefox writes beside the profile too (~/.cache, ~/.config, ~/Downloads): a home of
        // its own keeps all of it in the directory that is removed.
        let home = profile.root.join("home");
        std::fs::create_dir_all(&home).expect("create the browser's home");
        let log =
            std::fs::File::create(profile.root.join("browser.log")).expect("create browser.log");
        let port = free_port();
        let child = Command::new(firefox)
            .args(["--headless", "--no-remote", "--profile"])
            .arg(profile.dir())
            .arg("--remote-debugging-port")
            .arg(port.to_string())
            .env("HOME", &home)
            .env("MOZ_CRASHREPORTER_DISABLE", "1")
            // Release builds ignore `services.settings.server` without it, and would fetch
            // remote settings from Mozilla's servers.
            .env("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_STATE_HOME")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("share browser.log"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("start Firefox");
        let mut browser = Self {
            socket: None,
            events: Vec::new(),
            next_id: 0,
            deadline,
            process: Group { child },
            profile,
        };
        browser.connect(port);
        browser.call("session.new", &json!({ "capabilities": {} }));
        browser.call(
            "session.subscribe",
            &json!({ "events": ["log.entryAdded"] }),
        );
        browser
    }

    /// Connects to the `BiDi` server, retrying while Firefox starts, until the deadline.
    fn connect(&mut self, port: u16) {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let url = format!("ws://127.0.0.1:{port}/session");
        let mut last_error = String::new();
        while self.socket.is_none() {
            if let Some(status) = self.process.exited() {
                panic!(
                    "Firefox exited ({status}) before serving {url}\n{}",
                    self.profile.log_tail()
                );
            }
            assert!(
                Instant::now() < self.deadline,
                "no WebDriver BiDi at {url} within the test's {TIME_LIMIT:?}: {last_error}\n{}",
                self.profile.log_tail()
            );
            match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
                Ok(stream) => {
                    // A handshake that hangs fails here and is tried again.
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                    match tungstenite::client(url.as_str(), stream) {
                        Ok((socket, _)) => self.socket = Some(socket),
                        Err(e) => last_error = e.to_string(),
                    }
                }
                Err(e) => last_error = e.to_string(),
            }
            if self.socket.is_none() {
                thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// Sends a command and waits for its `result`, keeping the events that come first.
    fn call(&mut self, method: &str, params: &Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let command = json!({ "id": id, "method": method, "params": params }).to_string();
        let socket = self.socket.as_mut().expect("connected");
        if let Err(e) = socket.send(Message::text(command)) {
            panic!("send {method} to Firefox: {e}\n{}", self.profile.log_tail());
        }
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no answer to {method} within the test's {TIME_LIMIT:?}\n{}",
                self.profile.log_tail()
            );
            let socket = self.socket.as_mut().expect("connected");
            let _ = socket.get_mut().set_read_timeout(Some(left));
            let text = match socket.read() {
                Ok(Message::Text(text)) => text,
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) => panic!(
                    "Firefox's WebSocket failed during {method}: {e}\n{}",
                    self.profile.log_tail()
                ),
            };
            let message: Value = serde_json::from_str(&text).expect("BiDi sends JSON");
            if message["id"] == json!(id) {
                assert!(
                    message["type"] == "success",
                    "{method} failed: {} {}",
                    message["error"],
                    message["message"]
                );
                return message["result"].clone();
            }
            if message["type"] == "event" {
                self.events.push(message);
            }
        }
    }

    /// Evaluates `expression` in the tab and returns its value (numbers, strings, booleans).
    fn eval(&mut self, context: &str, expression: &str) -> Value {
        let result = self.call(
            "script.evaluate",
            &json!({
                "expression": expression,
                "target": { "context": context },
                "awaitPromise": false,
            }),
        );
        assert!(
            result["type"] == "success",
            "{expression}: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }
}

impl Browser for Firefox {
    fn load(&mut self, url: &str) -> Page {
        let context = self.call("browsingContext.create", &json!({ "type": "tab" }));
        let context = context["context"].as_str().unwrap().to_owned();
        self.call(
            "browsingContext.setViewport",
            &json!({
                "context": context,
                "viewport": { "width": 960, "height": 800 },
                "devicePixelRatio": 1,
            }),
        );
        self.call(
            "browsingContext.navigate",
            &json!({ "context": context, "url": url, "wait": "complete" }),
        );
        while self.eval(
            &context,
            "document.querySelector('#summary[data-done]') !== null",
        ) != json!(true)
        {
            assert!(
                Instant::now() < self.deadline,
                "{url}: #summary[data-done] did not appear within {TIME_LIMIT:?}"
            );
            thread::sleep(Duration::from_millis(50));
        }
        let rows = self.eval(&context, crate::ROWS_SCRIPT);
        let rows: Vec<Vec<String>> = serde_json::from_str(rows.as_str().unwrap()).unwrap();
        let summary = self.eval(&context, "document.getElementById('summary').textContent");
        let shot = self.call(
            "browsingContext.captureScreenshot",
            &json!({ "context": context, "origin": "document" }),
        );
        let screenshot = base64(shot["data"].as_str().unwrap());
        // Messages can trail the last call by a moment: a final round trip collects them.
        thread::sleep(Duration::from_millis(200));
        self.eval(&context, "0");
        self.call("browsingContext.close", &json!({ "context": context }));
        let messages = self
            .events
            .iter()
            .filter(|e| e["method"] == "log.entryAdded")
            .filter(|e| e["params"]["source"]["context"] == json!(context))
            .filter_map(|e| Some(e["params"]["text"].as_str()?.to_owned()))
            .collect();
        Page {
            rows,
            summary: summary.as_str().unwrap().to_owned(),
            messages,
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

impl Drop for Firefox {
    fn drop(&mut self) {
        // `Group` then waits for the exit, and kills what is left.
        if let Some(socket) = &mut self.socket {
            let command = json!({ "id": 0, "method": "browser.close", "params": {} });
            let _ = socket.send(Message::text(command.to_string()));
        }
    }
}
