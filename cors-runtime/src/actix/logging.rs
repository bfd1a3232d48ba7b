//! What a refusal logs: its level, its reason, and at most [`LOGGED_BYTES`] of each header the
//! request sent.

use core::fmt;

use actix_web::http::header::HeaderValue;

use super::route::CorsRoute;
use crate::policy::Origins;

impl CorsRoute {
    /// Why an origin is refused, in a log line: a run-time list that was never set, or was set
    /// empty, says so.
    pub(crate) fn why_refused(&self) -> WhyRefused {
        match self.policy.origins() {
            Origins::Runtime { list, name } if !list.is_set() => WhyRefused::Unset(name),
            Origins::Runtime { list, name } if list.is_set_none() => WhyRefused::SetNone(name),
            _ => WhyRefused::NotAllowed,
        }
    }

    /// Logs why a request from `origin` was refused. What one request can make this log is
    /// bounded: header bytes are cut at [`LOGGED_BYTES`].
    pub(crate) fn log(
        &self,
        level: Level,
        kind: &str,
        path: &str,
        origin: Option<&HeaderValue>,
        reason: &dyn core::fmt::Display,
    ) {
        let origin = origin.map_or(&b"(none)"[..], HeaderValue::as_bytes);
        log::log!(
            target: "route_cors",
            level.log_level(),
            "{kind} to `{}` ({}) from origin `{}` refused: {reason}",
            self.name,
            Shown(path.as_bytes()),
            Shown(origin),
        );
    }
}

/// Why an origin is refused.
pub(crate) enum WhyRefused {
    NotAllowed,
    /// The route's run-time list, by name, was never set.
    Unset(&'static str),
    /// The route's run-time list, by name, was set empty on purpose.
    SetNone(&'static str),
}

impl core::fmt::Display for WhyRefused {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NotAllowed => f.write_str("origin not allowed"),
            Self::Unset(name) => write!(
                f,
                "origin not allowed: the run-time list `{name}` is not set"
            ),
            Self::SetNone(name) => write!(
                f,
                "origin not allowed: the run-time list `{name}` is set empty (`set_none`)"
            ),
        }
    }
}

/// How serious a refusal is, which decides its log level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// An allowed origin asked for a method or header the route does not allow: a page of
    /// the application is likely broken. `warn`.
    Mismatch,
    /// An origin the policy does not allow: a public API sees these all day. `info`.
    Refused,
    /// A request no browser sends (several `Origin` lines, a huge header list). `debug`.
    Malformed,
}

impl Level {
    const fn log_level(self) -> log::Level {
        match self {
            Self::Mismatch => log::Level::Warn,
            Self::Refused => log::Level::Info,
            Self::Malformed => log::Level::Debug,
        }
    }
}

/// Most bytes of a request header a log line shows; the rest is counted, not shown.
pub const LOGGED_BYTES: usize = 100;

/// A request header's bytes as a log line shows them: escaped, at most [`LOGGED_BYTES`] of
/// them, then how many more there were. One request can make the library log a bounded amount.
pub(crate) struct Shown<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.0;
        if bytes.len() <= LOGGED_BYTES {
            write!(f, "{}", bytes.escape_ascii())
        } else {
            write!(
                f,
                "{}... ({} bytes in all)",
                bytes[..LOGGED_BYTES].escape_ascii(),
                bytes.len()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_values_are_bounded() {
        assert_eq!(Shown(b"https://a.example").to_string(), "https://a.example");
        assert_eq!(Shown(b"a\xffb\n").to_string(), "a\\xffb\\n");
        let huge = vec![b'a'; 100 * 1024];
        let shown = Shown(&huge).to_string();
        assert_eq!(
            shown,
            format!("{}... (102400 bytes in all)", "a".repeat(LOGGED_BYTES))
        );
        // Escaping can grow what is shown, never past four bytes per byte.
        let hostile = vec![0xffu8; 100 * 1024];
        assert!(Shown(&hostile).to_string().len() <= 4 * LOGGED_BYTES + 30);
    }
}
