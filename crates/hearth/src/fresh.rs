//! Values read from the database and kept on this node.
//!
//! [`Fresh`]: one value kept for a short while (the taxonomy, the word
//! filters): every page or write may need it, and a change elsewhere
//! reaches this node within the time given.
//!
//! [`Revised`]: many values, each kept while the revision it was read at is
//! still the database's (a thread's pages, a group's thread list). The
//! revision is raised in the same transaction as every change to what the
//! value shows, and the reader reads it fresh with the row it belongs to,
//! so every node sees every change at once.

use std::collections::HashMap;
use std::hash::Hash;
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

/// Roughly how many bytes a kept value holds.
pub trait Weigh {
    fn weight(&self) -> usize;
}

struct Entries<K, V> {
    map: HashMap<K, (i64, Arc<V>)>,
    bytes: usize,
}

/// Values by key, each with the revision it was read at. At most
/// `max_entries` values and about `max_bytes` are kept; when either is
/// reached the cache starts afresh (what is read often comes back first).
pub struct Revised<K, V> {
    max_entries: usize,
    max_bytes: usize,
    entries: Mutex<Entries<K, V>>,
}

impl<K: Eq + Hash, V: Weigh> Revised<K, V> {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            max_entries,
            max_bytes,
            entries: Mutex::new(Entries {
                map: HashMap::new(),
                bytes: 0,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Entries<K, V>> {
        // Each change below leaves the map and its byte count agreeing.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The kept value, if it was read at revision `rev`.
    pub fn get(&self, key: &K, rev: i64) -> Option<Arc<V>> {
        self.lock()
            .map
            .get(key)
            .filter(|(at, _)| *at == rev)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, rev: i64, value: Arc<V>) {
        let weight = value.weight();
        let mut entries = self.lock();
        if entries.map.len() >= self.max_entries || entries.bytes + weight > self.max_bytes {
            entries.map.clear();
            entries.bytes = 0;
        }
        if let Some((_, old)) = entries.map.insert(key, (rev, value)) {
            entries.bytes = entries.bytes.saturating_sub(old.weight());
        }
        entries.bytes += weight;
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

    impl Weigh for String {
        fn weight(&self) -> usize {
            self.len()
        }
    }

    #[test]
    fn a_revised_value_is_kept_for_its_revision_and_within_bounds() {
        let c = Revised::new(2, 10);
        c.put(1, 5, Arc::new("abc".to_owned()));
        assert_eq!(c.get(&1, 5).as_deref().map(String::as_str), Some("abc"));
        assert!(c.get(&1, 6).is_none(), "a newer revision reads again");
        c.put(1, 6, Arc::new("abcd".to_owned()));
        assert!(c.get(&1, 5).is_none(), "the older value went");
        c.put(2, 0, Arc::new("ef".to_owned()));
        assert!(c.get(&1, 6).is_some() && c.get(&2, 0).is_some());
        // A third entry is over the count: the cache starts afresh.
        c.put(3, 0, Arc::new("g".to_owned()));
        assert!(c.get(&1, 6).is_none() && c.get(&2, 0).is_none());
        assert!(c.get(&3, 0).is_some());
        // Over the bytes: the same.
        c.put(4, 0, Arc::new("hijklmnopq".to_owned()));
        assert!(c.get(&3, 0).is_none() && c.get(&4, 0).is_some());
    }
}
