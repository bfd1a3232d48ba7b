//! Origin parsing (`rules::origin::parse`) and matching (`OriginSet`, `OriginPattern`) on any bytes.
//!
//! Input: policy entries and a candidate origin, separated by `\n`; the last line is the
//! candidate. Checks: no panic; a parsed entry is canonical (parsing it again gives the same);
//! an exact entry matches itself; a match of a pattern is label- or port-aligned.
#![no_main]

use cors_runtime::origin::table;
use cors_runtime::rules::origin::{self, OriginSpec};
use cors_runtime::{OriginPattern, OriginSet};
use libfuzzer_sys::fuzz_target;

/// `'static` copies for `OriginSet` (built by generated code from `'static` data), freed when
/// the input is done so that LeakSanitizer and the RSS limit stay quiet.
#[derive(Default)]
struct Arena {
    strs: Vec<*mut str>,
}

impl Arena {
    fn leak(&mut self, s: &str) -> &'static str {
        let ptr = Box::into_raw(s.to_owned().into_boxed_str());
        self.strs.push(ptr);
        // SAFETY: freed in `Drop`, after every borrow of this input's data has ended.
        unsafe { &*ptr }
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        for ptr in self.strs.drain(..) {
            // SAFETY: made by `Box::into_raw` in `leak`, freed once.
            drop(unsafe { Box::from_raw(ptr) });
        }
    }
}

fn leak_slice<T>(v: Vec<T>) -> (&'static [T], *mut [T]) {
    let ptr = Box::into_raw(v.into_boxed_slice());
    // SAFETY: freed by the caller with `Box::from_raw` when the input is done.
    (unsafe { &*ptr }, ptr)
}

fuzz_target!(|data: &[u8]| {
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let candidate = lines.pop().unwrap_or_default();
    let mut arena = Arena::default();
    let mut leak = |s: &str| arena.leak(s);
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
    let (table, table_ptr) = leak_slice(table(&exact));
    let (pattern_slice, patterns_ptr) = leak_slice(patterns.clone());
    let set = OriginSet::__new(table, pattern_slice);
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
    // SAFETY: made by `Box::into_raw` in `leak_slice`; `set` and its borrows are gone.
    unsafe {
        drop(Box::from_raw(table_ptr));
        drop(Box::from_raw(patterns_ptr));
    }
});
