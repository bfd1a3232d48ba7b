//! What the server answered ([`Answer`]) and what the browser decides about it ([`Verdict`]).

use core::fmt;

/// The status and headers a server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, Vec<u8>)>,
}

impl Answer {
    /// A response with `status` and no headers yet.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
        }
    }

    /// Adds a header line (names compare in any case; a name may repeat).
    #[must_use]
    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.as_ref().to_vec()));
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// All lines of `name` joined with `", "`, as the Fetch standard's "get" does; `None` when
    /// absent.
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        for (n, v) in &self.headers {
            if n.eq_ignore_ascii_case(name) {
                match &mut out {
                    Some(joined) => {
                        joined.extend_from_slice(b", ");
                        joined.extend_from_slice(v);
                    }
                    None => out = Some(v.clone()),
                }
            }
        }
        out
    }
}

/// A browser's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The page can read the response.
    Allowed,
    /// The browser blocks it; the reason as Chromium words it.
    Blocked(String),
}

impl Verdict {
    /// Whether the page can read the response.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allowed)
    }

    /// The reason of a blocked request.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Allowed => None,
            Self::Blocked(reason) => Some(reason),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Allowed => f.write_str("allowed"),
            Self::Blocked(reason) => write!(f, "blocked: {reason}"),
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_is_all_its_lines_joined() {
        let res = Answer::new(204)
            .header("Vary", "Origin")
            .header("x-other", "1")
            .header("vary", "Access-Control-Request-Method");
        assert_eq!(res.status(), 204);
        assert_eq!(
            res.get("VARY").as_deref(),
            Some(&b"Origin, Access-Control-Request-Method"[..])
        );
        assert_eq!(res.get("x-other").as_deref(), Some(&b"1"[..]));
        assert_eq!(res.get("access-control-allow-origin"), None);
    }

    #[test]
    fn a_verdict_says_why_it_blocks() {
        let blocked = Verdict::Blocked("No 'Access-Control-Allow-Origin' header".into());
        assert!(!blocked.is_allowed());
        assert_eq!(
            blocked.reason(),
            Some("No 'Access-Control-Allow-Origin' header")
        );
        assert_eq!(
            blocked.to_string(),
            "blocked: No 'Access-Control-Allow-Origin' header"
        );
        assert!(Verdict::Allowed.is_allowed());
        assert_eq!(Verdict::Allowed.reason(), None);
    }
}
