//! A bounded memo of the inline policies checked earlier on this thread: a crate whose routes
//! repeat one `#[cors(...)]` policy reads and checks it once, not once per route.
//!
//! Only speed depends on it: a miss reads and checks the arguments as the first time did, and
//! the tokens a hit gives are the ones that reading made. It is keyed by the exact text of the
//! arguments' tokens, holds at most [`CAPACITY`] policies (the oldest goes first), and keeps
//! only what checked cleanly with no warning and no path of the user's, whose span an error
//! would point at: the tokens it keeps carry no span, and get the call site's, as `quote!`'s
//! do.

use std::cell::RefCell;
use std::collections::VecDeque;

use proc_macro2::TokenStream;

/// Most policies kept: more distinct inline policies than this in one crate only cost their
/// reading again.
const CAPACITY: usize = 64;

/// A checked policy: its tokens as text (lexing text is one call into the compiler, where
/// quoting the policy again is one per token), and the route's `preflights_skip_guards`.
#[derive(Clone)]
pub(super) struct Kept {
    pub(super) tokens: String,
    pub(super) preflights_skip_guards: bool,
}

thread_local! {
    static KEPT: RefCell<VecDeque<(String, Kept)>> = const { RefCell::new(VecDeque::new()) };
}

/// What was kept for the arguments `key`, if anything.
pub(super) fn get(key: &str) -> Option<Kept> {
    KEPT.with_borrow(|kept| kept.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
}

/// Keeps `kept` for the arguments `key`.
pub(super) fn keep(key: String, kept: Kept) {
    KEPT.with_borrow_mut(|all| {
        if all.len() == CAPACITY {
            all.pop_front();
        }
        all.push_back((key, kept));
    });
}

/// `text` (tokens the macro wrote) as tokens with the call site's span; `None` if it does not
/// lex, which a hit then treats as a miss.
pub(super) fn lex(text: &str) -> Option<TokenStream> {
    if proc_macro::is_available() {
        text.parse::<proc_macro::TokenStream>().ok().map(Into::into)
    } else {
        text.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_is_bounded_and_keyed_by_the_exact_text() {
        let kept = |tokens: &str| Kept {
            tokens: tokens.to_owned(),
            preflights_skip_guards: false,
        };
        for i in 0..=CAPACITY {
            keep(format!("key {i}"), kept("x"));
        }
        assert!(get("key 0").is_none(), "the oldest went first");
        assert!(get("key 1").is_some() && get(&format!("key {CAPACITY}")).is_some());
        assert!(get("key  1").is_none(), "another text is another key");
        KEPT.with_borrow(|all| assert_eq!(all.len(), CAPACITY));
        assert!(lex("a b").is_some() && lex("\"unclosed").is_none());
    }
}
