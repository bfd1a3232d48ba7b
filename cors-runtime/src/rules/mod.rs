//! The rule set: what a policy may hold, checked at compile time (by `cors-macros`, on the
//! literals of `#[cors]` and `policy!`) and at start-up (by `RuntimeOrigins::set`, on a list
//! from configuration), never per request. Feature `rules`: it needs a WHATWG URL parser (the
//! `url` crate) and the public-suffix list (`psl`).
//!
//! - [`origin`]: one entry of `origins`, checked and put in canonical form
//!   ([`OriginSpec`](origin::OriginSpec)).
//! - [`credentials`]: what an entry must also meet when the policy allows credentials.
//! - [`list`]: a whole `origins` list: every entry, no `*` inside, no entry twice.
//! - [`header_lists`]: each name of `allow_headers` and `expose_headers`.
//!
//! Each rule says what is wrong, why, and the fix: an [`OriginError`] or a
//! [`HeaderNameError`](header_lists::HeaderNameError).

pub mod credentials;
pub mod header_lists;
mod host;
pub mod list;
pub mod origin;

use crate::error::OriginError;

/// How the rules build their errors.
impl OriginError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            suggestion: None,
            hint: None,
        }
    }

    fn fix(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn map_fix(mut self, f: impl FnOnce(&String) -> String) -> Self {
        self.suggestion = self.suggestion.as_ref().map(f);
        self
    }
}
