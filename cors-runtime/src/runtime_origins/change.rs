//! What a change to a run-time list was, for an audit log: [`Change`], handed to the hook of
//! [`RuntimeOrigins::on_change`] and returned by every update.

use core::fmt;

use super::RuntimeOrigins;
use crate::error::OriginListError;

/// What an update did, or tried to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// [`RuntimeOrigins::set`], `set_from_str` or `set_none`: the start-up list.
    Set,
    /// The whole list (or one tenant's) replaced.
    Replace,
    /// Entries added.
    Add,
    /// Entries removed.
    Remove,
    /// A tenant's list removed: its requests are refused from now on.
    RemoveTenant,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Self::Set => "set",
            Self::Replace => "replaced",
            Self::Add => "added to",
            Self::Remove => "removed from",
            Self::RemoveTenant => "removed",
        }
    }
}

/// One change to a run-time list, applied or rejected: who asked (when the update said, with
/// [`Update::by`](super::Update::by)), which tenant, what was added and removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Who asked for it, as the caller named them.
    pub by: Option<String>,
    /// The tenant whose list changed; `None` for a shared list.
    pub tenant: Option<String>,
    /// What was asked.
    pub action: Action,
    /// The entries the list in force gained, in canonical form (none when rejected).
    pub added: Vec<String>,
    /// The entries the list in force lost (none when rejected).
    pub removed: Vec<String>,
    /// How many entries the list in force holds now.
    pub len: usize,
    /// Why the update was rejected, if it was: the list in force is then unchanged.
    pub rejected: Option<OriginListError>,
}

impl fmt::Display for Change {
    /// One line for an audit log: `alice added to acme: +https://app.acme.com (3 entries)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.by.as_deref().unwrap_or("(unnamed)"))?;
        if self.rejected.is_some() {
            f.write_str(" was refused:")?;
        }
        write!(f, " {}", self.action.verb())?;
        match &self.tenant {
            Some(tenant) => write!(f, " tenant `{tenant}`")?,
            None => f.write_str(" the list")?,
        }
        if let Some(rejected) = &self.rejected {
            let n = rejected.problems().len();
            return write!(
                f,
                " ({n} problem{}; {} entries still in force)",
                if n == 1 { "" } else { "s" },
                self.len
            );
        }
        f.write_str(":")?;
        for added in &self.added {
            write!(f, " +{added}")?;
        }
        for removed in &self.removed {
            write!(f, " -{removed}")?;
        }
        write!(f, " ({} entries)", self.len)
    }
}

impl RuntimeOrigins {
    /// Calls `hook` after every change to the list and every rejected one, with what it was:
    /// for an audit log. Called while the change holds the list's writer lock, so the hook sees
    /// changes in the order they took effect; it should be quick (no request waits for it).
    /// A list set with `set_on_this_thread` (feature `testing`) is not reported.
    ///
    /// # Errors
    ///
    /// When a hook is already installed: the new one is handed back.
    pub fn on_change<F>(&self, hook: F) -> Result<(), F>
    where
        F: Fn(&Change) + Send + Sync + 'static,
    {
        if self.hook.get().is_some() {
            return Err(hook);
        }
        // Two callers at once: the loser's hook is dropped, as `Box<dyn Fn>` cannot give `F`
        // back; said in the log rather than ignored.
        if self.hook.set(Box::new(hook)).is_err() {
            #[cfg(feature = "actix")]
            log::warn!(target: "route_cors", "two change hooks installed at once: one was dropped");
        }
        Ok(())
    }

    /// Tells the hook, if any.
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    pub(super) fn report(&self, change: &Change) {
        if let Some(hook) = self.hook.get() {
            hook(change);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_one_line() {
        let change = Change {
            by: Some("alice".to_owned()),
            tenant: Some("acme".to_owned()),
            action: Action::Add,
            added: vec!["https://app.acme.com".to_owned()],
            removed: Vec::new(),
            len: 3,
            rejected: None,
        };
        assert_eq!(
            change.to_string(),
            "alice added to tenant `acme`: +https://app.acme.com (3 entries)"
        );
        let refused = Change {
            by: None,
            tenant: None,
            action: Action::Replace,
            added: Vec::new(),
            removed: Vec::new(),
            len: 2,
            rejected: Some(OriginListError {
                problems: Vec::new(),
            }),
        };
        assert_eq!(
            refused.to_string(),
            "(unnamed) was refused: replaced the list (0 problems; 2 entries still in force)"
        );
    }
}
