//! Origin parsing (`origin::parse`) and matching (`OriginSet`, `OriginPattern`) on any bytes.
//!
//! Input: policy entries and a candidate origin, separated by `\n`; the last line is the
//! candidate. Checks: no panic; a parsed entry is canonical (parsing it again gives the same);
//! an exact entry matches itself; a match of a pattern is label- or port-aligned.
#![no_main]

use cors_runtime::origin::{self, OriginSpec};
use cors_runtime::{OriginPattern, OriginSet};
use libfuzzer_sys::fuzz_target;

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fuzz_target!(|data: &[u8]| {
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let candidate = lines.pop().unwrap_or_default();
    let mut exact: Vec<&'static str> = Vec::new();
    let mut patterns = Vec::new();
    for line in lines.iter().take(8) {
        let Ok(text) = std::str::from_utf8(line) else {
            continue;
        };
        match origin::parse(text) {
            Ok(OriginSpec::Exact(o)) => {
                assert_eq!(o, text);
                assert_eq!(origin::parse(&o), Ok(OriginSpec::Exact(o.clone())));
                exact.push(leak(&o));
            }
            Ok(OriginSpec::Subdomains { prefix, suffix }) => {
                assert!(prefix.ends_with("://") && suffix.starts_with('.'));
                patterns.push(OriginPattern::Subdomains {
                    prefix: leak(&prefix),
                    suffix: leak(&suffix),
                });
            }
            Ok(OriginSpec::AnyPort { prefix }) => {
                patterns.push(OriginPattern::AnyPort {
                    prefix: leak(&prefix),
                });
            }
            Ok(OriginSpec::Any) => assert_eq!(text, "*"),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    // Leaks a few bytes per input; libFuzzer's RSS limit is far away for the run lengths used.
    let table: &'static [&'static str] = Box::leak(origin::table(&exact).into_boxed_slice());
    let set = OriginSet::__new(table, Box::leak(patterns.clone().into_boxed_slice()));
    for e in &exact {
        assert!(set.contains(e.as_bytes()), "{e} not in its own set");
    }
    if set.contains(candidate) {
        let exact_hit = exact.iter().any(|e| e.as_bytes() == candidate);
        let pattern_hit = patterns.iter().any(|p| p.matches(candidate));
        assert!(exact_hit || pattern_hit);
        // Whatever matched is a serialized origin: ASCII, no white space, no path, no userinfo.
        assert!(candidate.iter().all(|b| b.is_ascii_graphic()));
        assert!(!candidate.contains(&b'@'));
        let after_scheme = candidate.windows(3).position(|w| w == b"://").unwrap() + 3;
        assert!(!candidate[after_scheme..].contains(&b'/'));
    }
    for p in &patterns {
        if let (OriginPattern::Subdomains { prefix, suffix }, true) = (p, p.matches(candidate)) {
            let middle = &candidate[prefix.len()..candidate.len() - suffix.len()];
            assert!(!middle.is_empty() && !middle.starts_with(b".") && !middle.ends_with(b"."));
        }
    }
});
