//! What a refusal logs: its level, its reason, and at most [`LOGGED_BYTES`] of each header the
//! request sent.

use core::fmt;

use actix_web::HttpRequest;
use actix_web::dev::ServiceRequest;
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

    /// [`why_refused`](Self::why_refused), read only if the line is written: a refusal with its
    /// log level off costs nothing for it.
    pub(crate) const fn why_refused_lazily(&self) -> WhyRefusedOf<'_> {
        WhyRefusedOf(self)
    }

    /// The path a log line about `req` shows (see [`LogPath`]). Costs nothing until a line is
    /// written.
    pub(crate) const fn log_path<'r>(&self, req: &'r ServiceRequest) -> LogPath<'r> {
        LogPath {
            req,
            route_path: self.path,
            scope_wide: self.is_scope_wide(),
        }
    }

    /// Logs why a request from `origin` was refused. What one request can make this log is
    /// bounded: header bytes are cut at [`LOGGED_BYTES`].
    #[inline]
    pub(crate) fn log(
        &self,
        level: Level,
        kind: &str,
        path: LogPath<'_>,
        origin: Option<&HeaderValue>,
        reason: &dyn core::fmt::Display,
    ) {
        log::log!(
            target: "route_cors",
            level.log_level(),
            "{kind} to `{}` ({}) from origin `{}` refused: {reason}",
            self.handler.name,
            path,
            Shown(origin.map_or(&b"(none)"[..], HeaderValue::as_bytes)),
        );
    }
}

/// The path a log line shows: the full pattern of the route that matched, scope prefixes
/// included (`/api/products/{id}`), the same for a `#[cors]` route and for a `ScopeCors`, so
/// one search finds both; a `ScopeCors` line adds the request's path (`at /api/products/7`),
/// as it may cover a file service or no route at all, which have no pattern (then the line
/// shows the path alone).
///
/// actix-web reads the pattern from its resource map (`match_pattern`, which allocates), so
/// it is read only when the line is written: the refusal path pays for it, and only when its
/// level is enabled; the allowed path never does.
#[derive(Clone, Copy)]
pub(crate) struct LogPath<'r> {
    req: &'r ServiceRequest,
    /// The route's own pattern, relative to its scope: shown if actix-web knows no pattern.
    route_path: &'static str,
    scope_wide: bool,
}

impl fmt::Display for LogPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scope_wide {
            return ScopePath(self.req.request()).fmt(f);
        }
        match self.req.match_pattern() {
            Some(pattern) => write!(f, "{}", Shown(pattern.as_bytes())),
            None => write!(f, "{}", Shown(self.route_path.as_bytes())),
        }
    }
}

/// The path a `ScopeCors` log line shows: the full pattern of the resource the request's path
/// matches, then the path itself (`/shop/files/{name} at /shop/files/a.txt`), or the path
/// alone where no resource matches. Read only when the line is written, as [`LogPath`].
pub(crate) struct ScopePath<'r>(pub(crate) &'r HttpRequest);

impl fmt::Display for ScopePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.0.path();
        match self.0.match_pattern() {
            Some(pattern) if pattern != path => write!(
                f,
                "{} at {}",
                Shown(pattern.as_bytes()),
                Shown(path.as_bytes())
            ),
            _ => write!(f, "{}", Shown(path.as_bytes())),
        }
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

/// [`WhyRefused`] of a route, worked out when displayed.
pub(crate) struct WhyRefusedOf<'r>(&'r CorsRoute);

impl fmt::Display for WhyRefusedOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.why_refused().fmt(f)
    }
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
pub(crate) const LOGGED_BYTES: usize = 100;

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
    fn a_path_without_a_pattern_falls_back() {
        use crate::policy::Names;
        use crate::policy::Policy;
        static ROUTE: CorsRoute = crate::actix::route::tests::route(
            Policy::REFUSING_EVERY_ORIGIN,
            "get_item",
            "/items/{id}",
            Names {
                names: &["GET"],
                value: "GET",
            },
        );
        // A request built outside an app has no resource map to read a pattern from.
        let req = actix_web::test::TestRequest::default()
            .uri("/items/7")
            .to_srv_request();
        assert_eq!(ROUTE.log_path(&req).to_string(), "/items/{id}");
        let scope = CorsRoute::scope_wide(Policy::REFUSING_EVERY_ORIGIN);
        assert_eq!(scope.log_path(&req).to_string(), "/items/7");
    }

    #[cfg(feature = "rules")]
    #[test]
    fn a_refusal_says_why_a_run_time_list_refused() {
        use crate::policy::{Names, Origins, Policy};
        use crate::runtime_origins::RuntimeOrigins;
        static UNSET: RuntimeOrigins = RuntimeOrigins::new();
        static EMPTY: RuntimeOrigins = RuntimeOrigins::new();
        static SET: RuntimeOrigins = RuntimeOrigins::new();
        EMPTY.set_none().unwrap();
        SET.set(["https://app.example.com"]).unwrap();
        let why = |list: &'static RuntimeOrigins| {
            let policy = Policy {
                origins: Origins::Runtime { list, name: "LIST" },
                ..Policy::REFUSING_EVERY_ORIGIN
            };
            crate::actix::route::tests::route(policy, "f", "/f", Names::GET)
                .why_refused()
                .to_string()
        };
        assert_eq!(
            [why(&UNSET), why(&EMPTY), why(&SET)],
            [
                "origin not allowed: the run-time list `LIST` is not set",
                "origin not allowed: the run-time list `LIST` is set empty (`set_none`)",
                "origin not allowed",
            ]
        );
    }

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
