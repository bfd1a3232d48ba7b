//! One checked run-time list as a request reads it: [`OriginList`], exact origins in one text
//! buffer indexed by an open-addressing table, patterns beside them, and for each entry whether
//! a route with `credentials` may reflect it. Owned, so a list replaced while serving is freed
//! when the last request that read it is done (nothing is leaked).

// Without `rules` nothing builds a list: the layout is there for the request path to read.
#![cfg_attr(not(feature = "rules"), allow(dead_code))]

use std::sync::Arc;

use crate::error::OriginListProblem;
use crate::origin::{hash, matches_any_port, matches_subdomains};

/// A checked run-time origin list, as one request sees it: what
/// [`RuntimeOrigins::get`](super::RuntimeOrigins::get) and
/// [`RuntimeOrigins::tenant`](super::RuntimeOrigins::tenant) hand out.
///
/// A cheap handle (one reference count): holding one keeps that version of the list alive, even
/// after it is replaced. Matching allocates nothing and does not grow with the number of exact
/// origins.
#[derive(Debug, Clone)]
pub struct OriginList(pub(super) Arc<Lists>);

impl OriginList {
    /// Whether `origin` (the `Origin` header's bytes) is allowed for a route with or without
    /// `credentials`. No allocation.
    pub fn allows(&self, origin: &[u8], credentials: bool) -> bool {
        self.0.allows(origin, credentials)
    }

    /// The number of entries (exact origins and patterns).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list has no entry (set empty on purpose, or every entry removed).
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// Every entry in canonical form: the exact origins in the order they were added, then the
    /// patterns.
    pub fn entries(&self) -> Vec<String> {
        self.0.entries()
    }

    /// Whether `entry` (in canonical form, as [`entries`](Self::entries) gives it) is in the list.
    pub fn contains_entry(&self, entry: &str) -> bool {
        self.0.contains_entry(entry)
    }

    /// The entries a route with `credentials` refuses, each with why.
    pub fn refused_with_credentials(&self) -> &[OriginListProblem] {
        &self.0.not_for_credentials
    }
}

/// Marks, in [`Slot::len`], an entry that fails the credentials rules.
const NOT_FOR_CREDENTIALS: u32 = 1 << 31;
/// Marks an empty slot of the table.
const EMPTY: u32 = u32::MAX;
/// Up to this many slots, the table is scanned rather than hashed into (as `OriginSet` does).
const SCAN_SLOTS: usize = 8;

/// Where an exact origin sits in [`Lists::text`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    start: u32,
    /// The length, with [`NOT_FOR_CREDENTIALS`] set for an entry a credentialed route refuses.
    len: u32,
}

/// A pattern entry, owned.
#[derive(Debug, Clone)]
pub(super) enum Pattern {
    /// `prefix` + one or more labels + `suffix`.
    Subdomains { prefix: Box<str>, suffix: Box<str> },
    /// `prefix`, optionally followed by `:port`.
    AnyPort { prefix: Box<str> },
}

impl Pattern {
    fn matches(&self, origin: &[u8]) -> bool {
        match self {
            Self::Subdomains { prefix, suffix } => {
                matches_subdomains(prefix.as_bytes(), suffix.as_bytes(), origin)
            }
            Self::AnyPort { prefix } => matches_any_port(prefix.as_bytes(), origin),
        }
    }

    /// The entry as written: `https://*.example.com`, `http://localhost:*`.
    fn entry(&self) -> String {
        match self {
            Self::Subdomains { prefix, suffix } => format!("{prefix}*{suffix}"),
            Self::AnyPort { prefix } => format!("{prefix}:*"),
        }
    }
}

/// A checked list laid out for matching.
#[derive(Debug, Default)]
pub(super) struct Lists {
    /// Every exact origin, one after the other, in the order added.
    text: Box<str>,
    /// The exact origins, in the order added.
    exact: Box<[Slot]>,
    /// Indexes into `exact`, [`EMPTY`] in empty slots: a power of two long, at most half full.
    table: Box<[u32]>,
    /// The patterns, in order, each with whether a route with credentials may use it.
    patterns: Box<[(Pattern, bool)]>,
    /// The entries a route with credentials refuses, each with why.
    pub(super) not_for_credentials: Vec<OriginListProblem>,
    /// Set empty on purpose, by [`RuntimeOrigins::set_none`](super::RuntimeOrigins::set_none).
    #[cfg_attr(not(feature = "actix"), allow(dead_code))] // read by the route's log lines
    pub(super) none: bool,
}

/// One entry to lay out: its canonical text, and whether it passed the credentials rules.
pub(super) enum Entry<'a> {
    Exact(&'a str, bool),
    Pattern(Pattern, bool),
}

impl Lists {
    /// An empty list, set so on purpose.
    pub(super) fn none() -> Self {
        Self {
            none: true,
            ..Self::default()
        }
    }

    /// Lays `entries` out. `None` when the exact origins do not fit the 32-bit offsets (4 GiB of
    /// text): the caller reports it.
    pub(super) fn build<'a>(
        entries: impl IntoIterator<Item = Entry<'a>>,
        not_for_credentials: Vec<OriginListProblem>,
    ) -> Option<Self> {
        let mut text = String::new();
        let mut exact = Vec::new();
        let mut patterns = Vec::new();
        for entry in entries {
            match entry {
                Entry::Exact(origin, credentials) => {
                    let start = u32::try_from(text.len()).ok()?;
                    let len = u32::try_from(origin.len())
                        .ok()
                        .filter(|&len| len < NOT_FOR_CREDENTIALS)?;
                    text.push_str(origin);
                    u32::try_from(text.len()).ok()?;
                    exact.push(Slot {
                        start,
                        len: if credentials {
                            len
                        } else {
                            len | NOT_FOR_CREDENTIALS
                        },
                    });
                }
                Entry::Pattern(pattern, credentials) => patterns.push((pattern, credentials)),
            }
        }
        u32::try_from(exact.len()).ok().filter(|&n| n < EMPTY)?;
        let mut lists = Self {
            text: text.into_boxed_str(),
            exact: exact.into_boxed_slice(),
            table: Box::new([]),
            patterns: patterns.into_boxed_slice(),
            not_for_credentials,
            none: false,
        };
        lists.table = lists.lay_out_table();
        Some(lists)
    }

    fn lay_out_table(&self) -> Box<[u32]> {
        let size = (self.exact.len() * 2).next_power_of_two().max(2);
        let mask = size - 1;
        let mut table = vec![EMPTY; size];
        for (index, slot) in self.exact.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation)] // masked to the table size
            let mut i = hash(self.slot_text(*slot).as_bytes()) as usize & mask;
            while table[i] != EMPTY {
                i = (i + 1) & mask;
            }
            #[allow(clippy::cast_possible_truncation)] // `build` checked it fits
            {
                table[i] = index as u32;
            }
        }
        table.into_boxed_slice()
    }

    fn slot_text(&self, slot: Slot) -> &str {
        let start = slot.start as usize;
        let len = (slot.len & !NOT_FOR_CREDENTIALS) as usize;
        self.text.get(start..start + len).unwrap_or_default()
    }

    /// The exact entry equal to `origin`, if any.
    fn find_exact(&self, origin: &[u8]) -> Option<Slot> {
        let len = self.table.len();
        if len == 0 || origin.is_empty() {
            return None;
        }
        let at = |index: u32| {
            self.exact
                .get(index as usize)
                .copied()
                .filter(|slot| self.slot_text(*slot).as_bytes() == origin)
        };
        if len <= SCAN_SLOTS {
            return self
                .table
                .iter()
                .filter(|&&i| i != EMPTY)
                .find_map(|&i| at(i));
        }
        let mask = len - 1;
        #[allow(clippy::cast_possible_truncation)] // masked to the table size
        let mut i = hash(origin) as usize & mask;
        // Bounded by the table size, so no layout can make it loop.
        for _ in 0..len {
            let index = self.table[i];
            if index == EMPTY {
                return None;
            }
            if let Some(slot) = at(index) {
                return Some(slot);
            }
            i = (i + 1) & mask;
        }
        None
    }

    pub(super) fn allows(&self, origin: &[u8], credentials: bool) -> bool {
        if let Some(slot) = self.find_exact(origin) {
            return !credentials || slot.len & NOT_FOR_CREDENTIALS == 0;
        }
        self.patterns
            .iter()
            .any(|(pattern, ok)| (!credentials || *ok) && pattern.matches(origin))
    }

    pub(super) fn len(&self) -> usize {
        self.exact.len() + self.patterns.len()
    }

    pub(super) fn entries(&self) -> Vec<String> {
        self.exact
            .iter()
            .map(|slot| self.slot_text(*slot).to_owned())
            .chain(self.patterns.iter().map(|(p, _)| p.entry()))
            .collect()
    }

    pub(super) fn contains_entry(&self, entry: &str) -> bool {
        if entry.contains('*') {
            self.patterns.iter().any(|(p, _)| p.entry() == entry)
        } else {
            self.find_exact(entry.as_bytes()).is_some()
        }
    }

    /// Every entry with whether a route with credentials may use it, for a list built from this
    /// one (an entry added or removed).
    pub(super) fn each(&self) -> impl Iterator<Item = Entry<'_>> {
        self.exact
            .iter()
            .map(|slot| Entry::Exact(self.slot_text(*slot), slot.len & NOT_FOR_CREDENTIALS == 0))
            .chain(
                self.patterns
                    .iter()
                    .map(|(p, ok)| Entry::Pattern(p.clone(), *ok)),
            )
    }

    /// The canonical text of an entry.
    pub(super) fn entry_text(entry: &Entry<'_>) -> String {
        match entry {
            Entry::Exact(origin, _) => (*origin).to_owned(),
            Entry::Pattern(pattern, _) => pattern.entry(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(exact: &[(&str, bool)], patterns: Vec<(Pattern, bool)>) -> Lists {
        Lists::build(
            exact
                .iter()
                .map(|&(o, c)| Entry::Exact(o, c))
                .chain(patterns.into_iter().map(|(p, c)| Entry::Pattern(p, c))),
            Vec::new(),
        )
        .expect("fits")
    }

    #[test]
    fn exact_origins_match_byte_for_byte_whatever_their_number() {
        for n in [1, 3, 4, 5, 1000] {
            let owned: Vec<String> = (0..n)
                .map(|i| format!("https://s{i}.example.com"))
                .collect();
            let entries: Vec<(&str, bool)> = owned.iter().map(|o| (o.as_str(), true)).collect();
            let lists = list(&entries, Vec::new());
            assert!(
                owned.iter().all(|o| lists.allows(o.as_bytes(), true)),
                "{n}"
            );
            for miss in [
                "",
                "https://s1.example.co",
                "https://S1.example.com",
                "https://example.com",
            ] {
                assert!(!lists.allows(miss.as_bytes(), false), "{n}: {miss}");
            }
            assert_eq!(lists.len(), n);
            assert_eq!(lists.entries(), owned);
            // At most half full, so that a miss ends at an empty slot soon.
            assert!(
                lists.table.len() >= 2 * n,
                "{n}: {} slots",
                lists.table.len()
            );
        }
    }

    #[test]
    fn credentials_are_per_entry() {
        let lists = list(
            &[
                ("https://app.example.com", true),
                ("http://intranet.example.com", false),
            ],
            vec![
                (
                    Pattern::Subdomains {
                        prefix: "https://".into(),
                        suffix: ".github.io".into(),
                    },
                    false,
                ),
                (
                    Pattern::AnyPort {
                        prefix: "http://localhost".into(),
                    },
                    true,
                ),
            ],
        );
        for (origin, without, with) in [
            ("https://app.example.com", true, true),
            ("http://intranet.example.com", true, false),
            ("https://me.github.io", true, false),
            ("http://localhost:5173", true, true),
            ("http://localhost:0", false, false),
            ("https://github.io", false, false),
        ] {
            assert_eq!(lists.allows(origin.as_bytes(), false), without, "{origin}");
            assert_eq!(lists.allows(origin.as_bytes(), true), with, "{origin}");
        }
        assert_eq!(
            lists.entries(),
            [
                "https://app.example.com",
                "http://intranet.example.com",
                "https://*.github.io",
                "http://localhost:*"
            ]
        );
        assert!(lists.contains_entry("https://*.github.io"));
        assert!(!lists.contains_entry("https://*.example.com"));
    }

    #[test]
    fn an_empty_list_matches_nothing() {
        let lists = Lists::default();
        assert!(!lists.allows(b"", false));
        assert!(!lists.allows(b"https://a.com", false));
        let built = list(&[], Vec::new());
        assert!(!built.allows(b"", false));
        assert_eq!(built.len(), 0);
    }
}
