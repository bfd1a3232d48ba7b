//! Headless Chromium driven through the `DevTools` protocol over `--remote-debugging-pipe`.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Browser, Engine, Group, Page, Profile, TIME_LIMIT, base64};

/// Chromium's flags; the pipe and the profile directory are added per run.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
];

/// Chromium on a `DevTools` pipe. Dropping it asks the browser to close; its fields then kill
/// what is left of the process group and remove the profile.
pub struct Chromium {
    commands: ChildStdin,
    answers: Receiver<Value>,
    /// Events received while waiting for answers.
    events: Vec<Value>,
    next_id: u64,
    deadline: Instant,
    // Dropped in this order: the processes, then their profile.
    process: Group,
    profile: Profile,
}

impl Chromium {
    pub fn launch(chromium: &Path, deadline: Instant) -> Self {
        let profile = Profile::new(Engine::Chromium);
        let log =
            std::fs::File::create(profile.root.join("browser.log")).expect("create browser.log");
        // The DevTools pipe is fd 3 (commands in) and fd 4 (answers out). `std` closes every fd
        // above 2 in the child, so a shell maps our stdin/stdout pipes there and `exec`s
        // Chromium, which keeps the shell's PID.
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
            .arg(chromium)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.dir().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("start Chromium");
        let commands = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, answers) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut buf = Vec::new();
            while matches!(reader.read_until(0, &mut buf), Ok(n) if n > 0) {
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                if let Ok(message) = serde_json::from_slice(&buf)
                    && tx.send(message).is_err()
                {
                    break;
                }
                buf.clear();
            }
        });
        Self {
            commands,
            answers,
            events: Vec::new(),
            next_id: 0,
            deadline,
            process: Group { child },
            profile,
        }
    }

    fn send(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: &Value,
    ) -> std::io::Result<u64> {
        self.next_id += 1;
        let mut message = json!({ "id": self.next_id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message)?;
        bytes.push(0);
        self.commands.write_all(&bytes)?;
        self.commands.flush()?;
        Ok(self.next_id)
    }

    /// Sends a command and waits for its answer's `result`, keeping the events that come first.
    fn call(&mut self, session: Option<&str>, method: &str, params: &Value) -> Value {
        let id = self.send(session, method, params).unwrap_or_else(|e| {
            panic!(
                "send {method} to Chromium: {e}\n{}",
                self.profile.log_tail()
            )
        });
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            let message = match self.answers.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no answer to {method} within the test's {TIME_LIMIT:?}\n{}",
                    self.profile.log_tail()
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "Chromium closed its pipe during {method}\n{}",
                    self.profile.log_tail()
                ),
            };
            if message["id"] == json!(id) {
                assert!(
                    message.get("error").is_none(),
                    "{method} failed: {}",
                    message["error"]
                );
                return message["result"].clone();
            }
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
    }

    fn eval(&mut self, session: &str, expression: &str) -> Value {
        let result = self.call(
            Some(session),
            "Runtime.evaluate",
            &json!({ "expression": expression, "returnByValue": true }),
        );
        result["result"]["value"].clone()
    }
}

impl Browser for Chromium {
    fn load(&mut self, url: &str) -> Page {
        let target = self.call(
            None,
            "Target.createTarget",
            &json!({ "url": "about:blank" }),
        );
        let target = target["targetId"].as_str().unwrap().to_owned();
        let session = self.call(
            None,
            "Target.attachToTarget",
            &json!({ "targetId": target, "flatten": true }),
        );
        let session = session["sessionId"].as_str().unwrap().to_owned();
        let s = Some(session.as_str());
        for domain in ["Runtime.enable", "Log.enable", "Page.enable"] {
            self.call(s, domain, &json!({}));
        }
        let viewport = |height: u64| json!({ "width": 960, "height": height, "deviceScaleFactor": 1, "mobile": false });
        self.call(s, "Emulation.setDeviceMetricsOverride", &viewport(800));
        self.call(s, "Page.navigate", &json!({ "url": url }));
        while self.eval(
            &session,
            "document.querySelector('#summary[data-done]') !== null",
        ) != json!(true)
        {
            assert!(
                Instant::now() < self.deadline,
                "{url}: #summary[data-done] did not appear within {TIME_LIMIT:?}"
            );
            thread::sleep(Duration::from_millis(50));
        }
        let rows = self.eval(&session, crate::ROWS_SCRIPT);
        let rows: Vec<Vec<String>> = serde_json::from_str(rows.as_str().unwrap()).unwrap();
        let summary = self.eval(&session, "document.getElementById('summary').textContent");
        let height = self.eval(&session, "document.documentElement.scrollHeight");
        self.call(
            s,
            "Emulation.setDeviceMetricsOverride",
            &viewport(height.as_u64().unwrap()),
        );
        let shot = self.call(s, "Page.captureScreenshot", &json!({ "format": "png" }));
        let screenshot = base64(shot["data"].as_str().unwrap());
        // Messages can trail the last call by a moment: a final round trip collects them.
        thread::sleep(Duration::from_millis(200));
        self.eval(&session, "0");
        self.call(None, "Target.closeTarget", &json!({ "targetId": target }));
        let messages = self
            .events
            .iter()
            .filter(|e| e["sessionId"] == json!(session))
            .filter_map(message_text)
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

impl Drop for Chromium {
    fn drop(&mut self) {
        // `Group` then waits for the exit, and kills what is left.
        let _ = self.send(None, "Browser.close", &json!({}));
    }
}

/// The text of a console-like event, `None` for other events.
fn message_text(event: &Value) -> Option<String> {
    let params = &event["params"];
    match event["method"].as_str()? {
        "Log.entryAdded" => Some(params["entry"]["text"].as_str()?.to_owned()),
        "Runtime.consoleAPICalled" => Some(
            params["args"]
                .as_array()?
                .iter()
                .map(|a| match &a["value"] {
                    Value::String(s) => s.clone(),
                    Value::Null => a["description"].as_str().unwrap_or("").to_owned(),
                    v => v.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "Runtime.exceptionThrown" => {
            let details = &params["exceptionDetails"];
            let text = details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())?;
            Some(text.to_owned())
        }
        _ => None,
    }
}
