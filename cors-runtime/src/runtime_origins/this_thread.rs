//! A run-time list set on one thread only, for tests (feature `testing`):
//! [`RuntimeOrigins::set_on_this_thread`], the guard that removes it, and the lists each thread
//! holds, by the address of their `RuntimeOrigins`.

use std::cell::RefCell;

#[cfg(feature = "rules")]
use super::check::Source;
use super::{Lists, RuntimeOrigins};
#[cfg(feature = "rules")]
use crate::error::OriginListError;

#[cfg(feature = "rules")]
impl RuntimeOrigins {
    /// Sets a list on the current thread only, until the returned guard is dropped: for a test
    /// that builds its own app (`actix_web::test` serves it on the test's thread), while other
    /// tests, on other threads, use lists of their own. Checked as [`set`](Self::set) checks.
    /// Features `testing` and `rules` (`route-cors` turns `rules` on).
    ///
    /// # Errors
    ///
    /// As [`set`](Self::set), but never "already set": a thread's list replaces the one set for
    /// the whole program, and an earlier thread's list, until the guard drops.
    pub fn set_on_this_thread<I, S>(
        &'static self,
        origins: I,
    ) -> Result<ThisThread, OriginListError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let entries: Vec<S> = origins.into_iter().collect();
        let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        let lists = self.check(&entries, Source::Entries)?;
        Ok(set(self, lists))
    }
}

/// A list set on one thread ([`RuntimeOrigins::set_on_this_thread`]): dropping it removes it.
#[derive(Debug)]
#[must_use = "the list is removed when this guard is dropped"]
pub struct ThisThread {
    key: usize,
}

impl Drop for ThisThread {
    fn drop(&mut self) {
        remove(self.key);
    }
}

thread_local! {
    static LISTS: RefCell<Vec<(usize, Lists)>> = const { RefCell::new(Vec::new()) };
}

fn key(list: &RuntimeOrigins) -> usize {
    core::ptr::from_ref(list) as usize
}

#[cfg(feature = "rules")]
pub(super) fn set(list: &'static RuntimeOrigins, lists: Lists) -> ThisThread {
    let key = key(list);
    LISTS.with_borrow_mut(|all| {
        all.retain(|(k, _)| *k != key);
        all.push((key, lists));
    });
    ThisThread { key }
}

pub(super) fn remove(key: usize) {
    LISTS.with_borrow_mut(|all| all.retain(|(k, _)| *k != key));
}

pub(super) fn allows(list: &RuntimeOrigins, origin: &[u8], credentials: bool) -> Option<bool> {
    let key = key(list);
    LISTS.with_borrow(|all| {
        all.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, lists)| lists.allows(origin, credentials))
    })
}

#[cfg_attr(not(feature = "actix"), allow(dead_code))]
pub(super) fn is_set(list: &RuntimeOrigins) -> bool {
    let key = key(list);
    LISTS.with_borrow(|all| all.iter().any(|(k, _)| *k == key))
}
