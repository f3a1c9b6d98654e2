//! A value read from the database and kept for a short while on this node
//! (the taxonomy, the word filters): every page or write may need it, and
//! a change elsewhere reaches this node within the time given.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub struct Fresh<T> {
    for_: Duration,
    slot: Mutex<Option<(Instant, Arc<T>)>>,
}

impl<T> Fresh<T> {
    pub const fn new(for_: Duration) -> Self {
        Self {
            for_,
            slot: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<(Instant, Arc<T>)>> {
        // A panic while holding the lock cannot leave the slot half-set.
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The kept value, unless it is older than allowed.
    pub fn get(&self) -> Option<Arc<T>> {
        match &*self.lock() {
            Some((at, value)) if at.elapsed() < self.for_ => Some(value.clone()),
            _ => None,
        }
    }

    pub fn put(&self, value: Arc<T>) {
        *self.lock() = Some((Instant::now(), value));
    }

    /// After a change on this node: the next reader reads again.
    pub fn forget(&self) {
        *self.lock() = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_until_it_is_stale_or_forgotten() {
        let f = Fresh::new(Duration::from_secs(60));
        assert!(f.get().is_none());
        f.put(Arc::new(1));
        assert_eq!(f.get().as_deref(), Some(&1));
        f.forget();
        assert!(f.get().is_none());
        let stale = Fresh::new(Duration::ZERO);
        stale.put(Arc::new(2));
        assert!(stale.get().is_none());
    }
}
