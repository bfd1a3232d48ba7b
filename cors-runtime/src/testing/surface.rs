//! Tests of an app's CORS surface: a committed snapshot ([`assert_surface_snapshot`]) and the
//! near misses of every allowed origin ([`near_misses`]).

use core::fmt::{self, Write as _};
use std::path::Path;

use crate::actix::{Surface, SurfaceRoute};
use crate::policy::{Origins, Policy};

/// The variable that rewrites a surface snapshot, and the value that does it.
pub const OVERWRITE: (&str, &str) = ("CORS_SURFACE", "overwrite");

/// Compares `surface` (as JSON, without line numbers) with the file at `path`, and panics with
/// the lines that differ when they do, so that a change to the app's CORS boundary shows in
/// review. With `CORS_SURFACE=overwrite` in the environment, writes the file instead (read its
/// diff before committing it). A missing file fails, saying how to write it.
///
/// # Panics
///
/// When the surface differs from the file, or the file cannot be read or written.
#[track_caller]
pub fn assert_surface_snapshot(surface: &Surface, path: impl AsRef<Path>) {
    let path = path.as_ref();
    let (var, value) = OVERWRITE;
    let now =
        serde_json::to_string_pretty(&surface.to_json(false)).expect("JSON values print") + "\n";
    if std::env::var(var).is_ok_and(|v| v == value) {
        std::fs::write(path, &now).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; `{var}={value}` with the test's command writes it",
            path.display()
        )
    });
    assert!(
        committed == now,
        "the app's CORS surface is not {} any more:\n{}\nIf the change is meant, rerun with `{var}={value}` and commit the file.",
        path.display(),
        diff(&committed, &now)
    );
}

/// The lines of `was` and `now` that differ, as `-`/`+` lines with two of context, from a
/// longest common subsequence (a snapshot is a few hundred lines).
fn diff(was: &str, now: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (was.lines().collect(), now.lines().collect());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push((' ', a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', a[i]));
            i += 1;
        } else {
            lines.push(('+', b[j]));
            j += 1;
        }
    }
    let near = |k: usize| {
        lines[k.saturating_sub(2)..(k + 3).min(lines.len())]
            .iter()
            .any(|(c, _)| *c != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (c, line)) in lines.iter().enumerate() {
        if near(k) {
            let _ = writeln!(out, "{c} {line}");
            skipped = false;
        } else if !skipped {
            out.push_str("  ...\n");
            skipped = true;
        }
    }
    out
}

/// A class of near-miss origin: what remote CORS scanners try blind against an allowed origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NearMiss {
    /// Text before the host: `https://evil-app.example.com`.
    Prefix,
    /// Text after the host: `https://app.example.com.evil.net`.
    Suffix,
    /// A dot read as any character: `https://appxexample.com`.
    UnescapedDot,
    /// The opaque origin of sandboxed frames, `file:` pages and redirects: `null`.
    Null,
    /// `http://` for `https://`: readable by anyone on the network path.
    HttpDowngrade,
    /// Another port, or none.
    PortChange,
    /// A fully qualified host: `https://app.example.com.`.
    TrailingDot,
    /// Another site under the same public suffix: `https://example-evil.com`.
    SiblingUnderSuffix,
    /// Upper case, which browsers never send: `https://APP.example.com`.
    UpperCase,
    /// A percent-encoded dot: `https://app%2eexample.com`.
    PercentEncoded,
}

/// A near-miss origin a route reflects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The route's handler (`app::items::get_item`).
    pub handler: String,
    /// The route's path as the surface shows it.
    pub path: String,
    /// The allowed origin it is a near miss of.
    pub allowed: String,
    /// The near miss.
    pub origin: String,
    /// Its class.
    pub class: NearMiss,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}) reflects `{}`, a near miss ({:?}) of the allowed `{}`",
            self.handler, self.path, self.origin, self.class, self.allowed
        )
    }
}

/// For every route of `surface` and every origin its policy allows (a pattern stands for one of
/// its origins; a run-time list is read as it is now; `*` allows all by design and is skipped),
/// the near misses of [`NearMiss`]'s classes that the route's policy allows, with the very check
/// a request's `Origin` gets. A near miss the policy itself writes (an entry, or an origin one
/// of its patterns covers) is not a finding. Empty when the surface gives scanners nothing.
pub fn near_misses(surface: &Surface) -> Vec<Finding> {
    near_misses_by(surface, |allows, origin| allows(origin))
}

/// The check a request's `Origin` gets against one list.
type Check = Box<dyn Fn(&str) -> bool>;

/// The lists a route's policy reads, each as its entries (as written) and the check a request's
/// `Origin` gets against it: one, or one per tenant of a per-tenant run-time list. None for `*`
/// (every origin, by design) and for a run-time list not set.
fn lists(policy: &'static Policy) -> Vec<(Vec<String>, Check)> {
    let credentials = policy.credentials();
    match policy.origins() {
        Origins::Set(set) => vec![(
            set.entries(),
            Box::new(move |o: &str| policy.allows_origin(o.as_bytes())),
        )],
        Origins::Runtime { list, .. } => {
            let tenants = list.tenants();
            let lists = list
                .get()
                .into_iter()
                .chain(tenants.iter().filter_map(|t| list.tenant(t)));
            lists
                .map(|l| {
                    let entries = l.entries();
                    let check: Check = Box::new(move |o: &str| l.allows(o.as_bytes(), credentials));
                    (entries, check)
                })
                .collect()
        }
        Origins::Any => Vec::new(),
    }
}

/// [`near_misses`] with `allows` in front of each list's check (its tests put a sloppy matcher
/// there instead).
fn near_misses_by(
    surface: &Surface,
    allows: impl Fn(&dyn Fn(&str) -> bool, &str) -> bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for route in surface.routes() {
        for (entries, check) in lists(route.policy()) {
            let (patterns, exact): (Vec<&String>, Vec<&String>) =
                entries.iter().partition(|e| e.contains('*'));
            let patterns: Vec<Declared> = patterns.iter().filter_map(|p| Declared::of(p)).collect();
            let declared = |origin: &str| {
                exact.iter().any(|e| *e == origin) || patterns.iter().any(|p| p.covers(origin))
            };
            // An exact origin, or one origin a pattern covers standing for it.
            let samples = exact.iter().map(|e| ((*e).clone(), (*e).clone(), false));
            let samples = samples.chain(patterns.iter().map(|p| (p.written(), p.sample(), true)));
            for (allowed, sample, from_pattern) in samples {
                for (class, origin) in candidates(&sample, from_pattern) {
                    if !declared(&origin) && allows(&check, &origin) {
                        findings.push(finding(route, &allowed, origin, class));
                    }
                }
            }
        }
    }
    findings
}

/// Panics listing every [`near_misses`] finding of `surface`, by class.
///
/// # Panics
///
/// When a route reflects a near miss.
#[track_caller]
pub fn assert_no_near_miss_reflected(surface: &Surface) {
    let findings = near_misses(surface);
    assert!(
        findings.is_empty(),
        "{} near-miss origins are reflected:\n  {}",
        findings.len(),
        findings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

fn finding(route: &SurfaceRoute, allowed: &str, origin: String, class: NearMiss) -> Finding {
    Finding {
        handler: route.handler(),
        path: route.shown_path(),
        allowed: allowed.to_owned(),
        origin,
        class,
    }
}

/// A pattern entry as written (`https://*.example.com`, `http://localhost:*`), read by a
/// reference reading kept apart from the matcher under test.
enum Declared {
    Subdomains { prefix: String, suffix: String },
    AnyPort { prefix: String },
}

impl Declared {
    fn of(entry: &str) -> Option<Self> {
        if let Some(prefix) = entry.strip_suffix(":*") {
            return Some(Self::AnyPort {
                prefix: prefix.to_owned(),
            });
        }
        let (scheme, rest) = entry.split_once("://*")?;
        Some(Self::Subdomains {
            prefix: format!("{scheme}://"),
            suffix: rest.to_owned(),
        })
    }

    fn written(&self) -> String {
        match self {
            Self::Subdomains { prefix, suffix } => format!("{prefix}*{suffix}"),
            Self::AnyPort { prefix } => format!("{prefix}:*"),
        }
    }

    /// One origin the pattern covers.
    fn sample(&self) -> String {
        match self {
            Self::Subdomains { prefix, suffix } => format!("{prefix}app{suffix}"),
            Self::AnyPort { prefix } => prefix.clone(),
        }
    }

    fn covers(&self, origin: &str) -> bool {
        match self {
            Self::Subdomains { prefix, suffix } => origin
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_suffix(suffix.as_str()))
                .is_some_and(|labels| {
                    labels.split('.').all(|label| {
                        !label.is_empty()
                            && label
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    })
                }),
            Self::AnyPort { prefix } => origin.strip_prefix(prefix.as_str()).is_some_and(|rest| {
                rest.is_empty()
                    || rest
                        .strip_prefix(':')
                        .is_some_and(|port| port.parse::<u16>().is_ok_and(|p| p > 0))
            }),
        }
    }
}

/// The near misses of `origin` (`scheme://host[:port]`) by class. From a pattern's sample, the
/// classes that keep the pattern's own part (a prefix before the host) are left out: the pattern
/// allows those on purpose.
fn candidates(origin: &str, from_pattern: bool) -> Vec<(NearMiss, String)> {
    use NearMiss::{
        HttpDowngrade, Null, PercentEncoded, PortChange, Prefix, SiblingUnderSuffix, Suffix,
        TrailingDot, UnescapedDot, UpperCase,
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return vec![(Null, "null".to_owned())];
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !authority.ends_with(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let with = |host: &str| match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    let mut out = vec![
        (Null, "null".to_owned()),
        (Suffix, with(&format!("{host}.evil.net"))),
        (TrailingDot, with(&format!("{host}."))),
        (UpperCase, with(&host.to_ascii_uppercase())),
    ];
    if !from_pattern {
        out.push((Prefix, with(&format!("evil-{host}"))));
        out.push((Prefix, with(&format!("evil{host}"))));
    }
    for (i, _) in host.match_indices('.').take(3) {
        let (before, after) = (&host[..i], &host[i + 1..]);
        out.push((UnescapedDot, with(&format!("{before}x{after}"))));
        out.push((PercentEncoded, with(&format!("{before}%2e{after}"))));
    }
    // Another registrable domain under the same suffix: the last two labels' first one, changed.
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() >= 2 {
        let suffix = labels[labels.len() - 1];
        let name = labels[labels.len() - 2];
        out.push((SiblingUnderSuffix, with(&format!("{name}-evil.{suffix}"))));
    }
    if scheme == "https" {
        out.push((HttpDowngrade, with(host).replacen("https://", "http://", 1)));
    }
    match port {
        Some(port) => {
            out.push((PortChange, format!("{scheme}://{host}")));
            let other = port
                .parse::<u16>()
                .map_or(8443, |p| p.wrapping_add(1).max(1));
            out.push((PortChange, format!("{scheme}://{host}:{other}")));
        }
        None => out.push((PortChange, format!("{scheme}://{host}:8443"))),
    }
    out
}

#[cfg(test)]
mod tests;
