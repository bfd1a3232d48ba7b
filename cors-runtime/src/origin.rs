//! The per-request origin matcher: [`OriginSet`], exact origins in a hash table and
//! [`OriginPattern`]s, compared with the `Origin` header's bytes. No allocation.
//!
//! A policy holds origins exactly as a browser serializes them (the rules, feature `rules`,
//! check that at compile time and at start-up), so matching is a byte comparison.
use core::fmt;

/// The hash behind [`OriginSet`]'s table. The macros build the table with this very function at
/// compile time, so the two can never disagree.
///
/// Not public API: the table's layout may change in any release.
#[doc(hidden)]
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    // A full avalanche (splitmix64's finalizer): the multiplications above carry a byte's
    // change only to higher bits, and the table indexes with the low ones, so origins that
    // differ late (ports, the last octet) would crowd together without it.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Lays exact origins out as an open-addressing table for [`OriginSet`]: a power-of-two number
/// of slots, at most half full, `""` in the empty ones.
///
/// Not public API (the generated code calls it at compile time): the layout may change in any
/// release.
#[doc(hidden)]
pub fn table<'a>(origins: &[&'a str]) -> Vec<&'a str> {
    let size = (origins.len() * 2).next_power_of_two().max(2);
    let mask = size - 1;
    let mut slots = vec![""; size];
    for origin in origins {
        #[allow(clippy::cast_possible_truncation)] // masked to the table size
        let mut i = hash(origin.as_bytes()) as usize & mask;
        while !slots[i].is_empty() {
            if slots[i] == *origin {
                break;
            }
            i = (i + 1) & mask;
        }
        slots[i] = origin;
    }
    slots
}

/// A pattern entry of an [`OriginSet`].
///
/// More kinds may come: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginPattern {
    /// `prefix` + one or more host labels + `suffix`, e.g. `https://` + `a.b` + `.example.com`.
    Subdomains {
        /// `"https://"`.
        prefix: &'static str,
        /// `".example.com"` or `".example.com:8443"`.
        suffix: &'static str,
    },
    /// `prefix`, optionally followed by `:port`, e.g. `http://localhost:5173`.
    AnyPort {
        /// `"http://localhost"`.
        prefix: &'static str,
    },
}

impl OriginPattern {
    /// Whether `origin` (the `Origin` header's bytes) matches this pattern.
    pub fn matches(&self, origin: &[u8]) -> bool {
        match *self {
            Self::Subdomains { prefix, suffix } => {
                matches_subdomains(prefix.as_bytes(), suffix.as_bytes(), origin)
            }
            Self::AnyPort { prefix } => matches_any_port(prefix.as_bytes(), origin),
        }
    }
}

/// The pattern as a policy writes it: `https://*.example.com`, `http://localhost:*`.
impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Subdomains { prefix, suffix } => write!(f, "{prefix}*{suffix}"),
            Self::AnyPort { prefix } => write!(f, "{prefix}:*"),
        }
    }
}

/// `origin` is `prefix` + one or more host labels + `suffix`: [`OriginPattern::Subdomains`], and
/// the run-time lists' own copy of it.
pub(crate) fn matches_subdomains(prefix: &[u8], suffix: &[u8], origin: &[u8]) -> bool {
    origin.len() > prefix.len() + suffix.len()
        && origin.starts_with(prefix)
        && origin.ends_with(suffix)
        && is_labels(&origin[prefix.len()..origin.len() - suffix.len()])
}

/// `origin` is `prefix`, optionally followed by `:port`: [`OriginPattern::AnyPort`].
pub(crate) fn matches_any_port(prefix: &[u8], origin: &[u8]) -> bool {
    match origin.strip_prefix(prefix) {
        Some([]) => true,
        Some([b':', port @ ..]) => is_port(port),
        _ => false,
    }
}

/// One or more dot-separated host labels in a browser's serialization.
fn is_labels(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'.').all(|label| {
        !label.is_empty()
            && label
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    })
}

/// A port as a browser serializes it: 1 to 65535, no leading zero.
fn is_port(bytes: &[u8]) -> bool {
    matches!(bytes.len(), 1..=5)
        && bytes[0] != b'0'
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes
            .iter()
            .fold(0u32, |n, &b| n * 10 + u32::from(b - b'0'))
            <= 65535
}

/// A set of allowed origins: exact ones in a hash table (one probe on average, whatever their
/// number) and patterns tried in order.
#[derive(Clone, Copy)]
pub struct OriginSet {
    /// Exact origins laid out by [`table`]; `""` in the empty slots. The macros write the set
    /// as a literal (a call, even of a `const fn`, would keep a route's literal from being
    /// promoted to static memory).
    #[doc(hidden)]
    pub table: &'static [&'static str],
    /// Patterns, tried in order.
    #[doc(hidden)]
    pub patterns: &'static [OriginPattern],
}

impl OriginSet {
    /// Builds a set from a table laid out by [`table`] and a list of patterns.
    ///
    /// Generated code calls this; a table laid out differently only makes lookups miss.
    #[doc(hidden)]
    pub const fn __new(table: &'static [&'static str], patterns: &'static [OriginPattern]) -> Self {
        Self { table, patterns }
    }
    /// Whether `origin` (the `Origin` header's bytes) is in the set. No allocation.
    pub fn contains(&self, origin: &[u8]) -> bool {
        self.contains_exact(origin) || self.patterns.iter().any(|p| p.matches(origin))
    }

    fn contains_exact(&self, origin: &[u8]) -> bool {
        /// Up to this many slots (four origins), the table is scanned rather than probed.
        const SCAN_SLOTS: usize = 8;
        let len = self.table.len();
        if len == 0 {
            return false;
        }
        // A table of a few origins is cheaper to scan than to hash into (slice equality compares
        // lengths first): the cost stays bounded by `SCAN_SLOTS` comparisons.
        if len <= SCAN_SLOTS {
            // Empty slots are `""`: an empty `Origin` must not match one.
            return !origin.is_empty() && self.table.iter().any(|slot| slot.as_bytes() == origin);
        }
        let mask = len - 1;
        #[allow(clippy::cast_possible_truncation)] // masked to the table size
        let mut i = hash(origin) as usize & mask;
        // Bounded by the table size, so a badly laid-out table cannot loop.
        for _ in 0..len {
            let slot = self.table[i];
            if slot.is_empty() {
                return false;
            }
            if slot.as_bytes() == origin {
                return true;
            }
            i = (i + 1) & mask;
        }
        false
    }

    /// Every entry of the set as a policy writes it: the exact origins, sorted, then the
    /// patterns in the order written (`https://*.example.com`, `http://localhost:*`).
    /// Allocates: for listings and tests, not for requests.
    pub fn entries(&self) -> Vec<String> {
        let exact = self.exact().into_iter().map(str::to_owned);
        exact
            .chain(self.patterns.iter().map(ToString::to_string))
            .collect()
    }

    /// The exact origins of the set, sorted (for `Debug`; the table order is no one's business).
    fn exact(&self) -> Vec<&'static str> {
        let mut exact: Vec<&'static str> = self
            .table
            .iter()
            .copied()
            .filter(|s| !s.is_empty())
            .collect();
        exact.sort_unstable();
        exact
    }
}

/// The exact origins sorted and the patterns, not the table's layout.
#[allow(clippy::missing_fields_in_debug)] // `table` is shown as `exact`, without its layout
impl fmt::Debug for OriginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginSet")
            .field("exact", &self.exact())
            .field("patterns", &self.patterns)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How far each origin sits from its home slot: what a lookup scans. The 1,000-origin
    /// policy stays as cheap as a one-origin one only while the hash spreads similar origins.
    fn longest_probe(origins: &[String]) -> usize {
        let names: Vec<&str> = origins.iter().map(String::as_str).collect();
        let slots = table(&names);
        let mask = slots.len() - 1;
        names
            .iter()
            .map(|name| {
                #[allow(clippy::cast_possible_truncation)]
                let home = hash(name.as_bytes()) as usize & mask;
                let slot = slots.iter().position(|s| s == name).expect("in the table");
                (slot + slots.len() - home) & mask
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn the_hash_spreads_similar_origins() {
        let families: [&dyn Fn(usize) -> String; 3] = [
            &|i| format!("https://site{i}.example.com"),
            &|i| format!("https://example.com:{}", 1000 + i),
            &|i| format!("http://10.0.{}.{}", i / 256, i % 256),
        ];
        for family in families {
            let origins: Vec<String> = (0..1000).map(family).collect();
            let longest = longest_probe(&origins);
            println!("{}: longest probe {longest}", origins[0]);
            assert!(longest <= 24, "{}: longest probe {longest}", origins[0]);
        }
    }

    #[test]
    fn table_lookup_finds_exactly_the_members() {
        let owned: Vec<String> = (0..1000)
            .map(|i| format!("https://site{i}.example.com"))
            .collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let slots: &'static [&'static str] = Box::leak(
            table(&names)
                .into_iter()
                .map(|s| &*Box::leak(s.to_owned().into_boxed_str()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
        let set = OriginSet::__new(slots, &[]);
        assert!(names.iter().all(|n| set.contains(n.as_bytes())));
        for miss in [
            "https://site1000.example.com",
            "https://site1.example.co",
            "",
            "https://SITE1.example.com",
        ] {
            assert!(!set.contains(miss.as_bytes()), "{miss}");
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(
            set.exact(),
            sorted,
            "every member, sorted, not in table order"
        );
        let debug = format!(
            "{:?}",
            OriginSet::__new(&["", "https://b.com", "https://a.com", ""], &[])
        );
        assert_eq!(
            debug,
            r#"OriginSet { exact: ["https://a.com", "https://b.com"], patterns: [] }"#
        );
    }

    #[test]
    fn an_empty_origin_matches_no_empty_slot() {
        for n in [1, 3, 4, 5, 40] {
            let owned: Vec<String> = (0..n)
                .map(|i| format!("https://s{i}.example.com"))
                .collect();
            let names: Vec<&str> = owned.iter().map(String::as_str).collect();
            let slots: Vec<&'static str> = table(&names)
                .into_iter()
                .map(|s| &*Box::leak(s.to_owned().into_boxed_str()))
                .collect();
            assert!(slots.contains(&""), "{n}: the table has empty slots");
            let set = OriginSet::__new(Box::leak(slots.into_boxed_slice()), &[]);
            assert!(!set.contains(b""), "{n} origins");
            assert!(set.contains(names[0].as_bytes()), "{n} origins");
        }
    }

    #[test]
    fn a_full_table_cannot_loop() {
        static FULL: [&str; 2] = ["https://a.com", "https://b.com"];
        let set = OriginSet::__new(&FULL, &[]);
        assert!(!set.contains(b"https://c.com"));
    }

    #[test]
    fn subdomain_patterns_are_label_aligned() {
        let p = OriginPattern::Subdomains {
            prefix: "https://",
            suffix: ".example.com",
        };
        for yes in [
            "https://a.example.com",
            "https://a.b.example.com",
            "https://xn--d-1a.example.com",
        ] {
            assert!(p.matches(yes.as_bytes()), "{yes}");
        }
        for no in [
            "https://example.com",
            "https://evilexample.com",
            "https://.example.com",
            "https://a..example.com",
            "https://example.com.evil.com",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://A.example.com",
            "https://a:1.example.com",
            "https://a/.example.com",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn any_port_patterns_take_real_ports_only() {
        let p = OriginPattern::AnyPort {
            prefix: "http://localhost",
        };
        for yes in [
            "http://localhost",
            "http://localhost:1",
            "http://localhost:5173",
            "http://localhost:65535",
        ] {
            assert!(p.matches(yes.as_bytes()), "{yes}");
        }
        for no in [
            "http://localhost:",
            "http://localhost:0",
            "http://localhost:08080",
            "http://localhost:65536",
            "http://localhost:123456",
            "http://localhost.evil.com",
            "http://localhost:80x",
            "https://localhost:8080",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
    }
}
