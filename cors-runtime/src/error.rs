//! What the rule set reports: why an origin entry is refused ([`OriginError`]) and why a
//! run-time list, or a change to it, is ([`OriginListError`], one [`OriginListProblem`] per bad
//! entry).
//!
//! Plain data, there without the `rules` feature too, since the run-time list types name them.

use core::fmt;

/// Why an origin literal is not a valid policy entry, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError {
    /// What is wrong, and why, e.g. ``an origin is scheme://host[:port] and nothing else; found a path `/api` ``.
    pub message: String,
    /// The corrected literal, when there is one.
    pub suggestion: Option<String>,
    /// Another way out, in words, e.g. `remove one`.
    pub hint: Option<String>,
}

impl OriginError {
    /// The fix, in words: `write "<suggestion>"`, the hint, or both.
    pub fn help(&self) -> Option<String> {
        match (&self.suggestion, &self.hint) {
            (Some(s), Some(h)) => Some(format!("write \"{s}\", or {h}")),
            (Some(s), None) => Some(format!("write \"{s}\"")),
            (None, Some(h)) => Some(h.clone()),
            (None, None) => None,
        }
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = self.help() {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OriginError {}

/// Why a run-time origin list, or a change to it, was refused: every problem found, in order.
/// The list in force is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginListError {
    pub(crate) problems: Vec<OriginListProblem>,
}

impl OriginListError {
    /// Every problem, in list order (problems with the whole list first).
    pub fn problems(&self) -> &[OriginListProblem] {
        &self.problems
    }
}

/// One problem of a run-time origin list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginListProblem {
    /// The tenant whose list has the problem, for a per-tenant list
    /// (`RuntimeOrigins::per_host`, `per_path_param`).
    pub tenant: Option<String>,
    /// The position of the bad entry in the list given (from 0), or `None` for a problem of the
    /// whole list (empty, already set).
    pub index: Option<usize>,
    /// The entry as given (empty for a problem of the whole list).
    pub entry: String,
    /// What is wrong, why, and the fix.
    pub error: OriginError,
}

impl fmt::Display for OriginListProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(tenant) = &self.tenant {
            write!(f, "tenant `{tenant}`: ")?;
        }
        match self.index {
            Some(i) => write!(f, "origin #{} `{}`: {}", i + 1, self.entry, self.error),
            None => write!(f, "{}", self.error),
        }
    }
}

impl fmt::Display for OriginListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "invalid CORS origin list ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OriginListError {}
