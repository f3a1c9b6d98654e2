//! In-memory fixed-window rate limits. Keys are keyed hashes (of a client
//! address or a handle), never the values themselves, and nothing is written
//! to disk (RELIABILITY.md §1.2 promise 2).

use std::collections::HashMap;
use std::sync::Mutex;

pub type Key = [u8; 32];

pub struct RateLimiter {
    limit: u32,
    window_ms: i64,
    windows: Mutex<HashMap<Key, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: i64,
    count: u32,
}

/// Refused; try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after_secs: u64,
}

impl RateLimiter {
    pub fn new(limit: u32, window_secs: u64) -> Self {
        Self {
            limit,
            window_ms: i64::try_from(window_secs.saturating_mul(1000)).unwrap_or(i64::MAX),
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Window>> {
        // A panic while holding this lock cannot leave a window half-updated.
        self.windows.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn retry_after(&self, w: &Window, now: i64) -> Limited {
        let ms = (w.started + self.window_ms - now).max(1000);
        Limited {
            retry_after_secs: u64::try_from((ms + 999) / 1000).unwrap_or(1),
        }
    }

    /// The key's window, restarted if the old one is over.
    fn window<'a>(
        &self,
        windows: &'a mut HashMap<Key, Window>,
        key: Key,
        now: i64,
    ) -> &'a mut Window {
        let w = windows.entry(key).or_insert(Window {
            started: now,
            count: 0,
        });
        if now - w.started >= self.window_ms {
            *w = Window {
                started: now,
                count: 0,
            };
        }
        w
    }

    /// Counts one event; refuses it if the window is already full.
    pub fn hit(&self, key: Key, now: i64) -> Result<(), Limited> {
        let mut windows = self.lock();
        let w = self.window(&mut windows, key, now);
        if w.count >= self.limit {
            return Err(self.retry_after(w, now));
        }
        w.count += 1;
        Ok(())
    }

    /// Refuses if the window is full, without counting.
    pub fn check(&self, key: Key, now: i64) -> Result<(), Limited> {
        let windows = self.lock();
        match windows.get(&key) {
            Some(w) if now - w.started < self.window_ms && w.count >= self.limit => {
                Err(self.retry_after(w, now))
            }
            _ => Ok(()),
        }
    }

    /// Counts one event without refusing it.
    pub fn record(&self, key: Key, now: i64) {
        let mut windows = self.lock();
        let w = self.window(&mut windows, key, now);
        w.count = w.count.saturating_add(1);
    }

    pub fn clear(&self, key: Key) {
        self.lock().remove(&key);
    }

    /// Forgets finished windows.
    pub fn purge(&self, now: i64) -> usize {
        let mut windows = self.lock();
        let before = windows.len();
        windows.retain(|_, w| now - w.started < self.window_ms);
        before - windows.len()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_within_a_window_and_resets_after_it() {
        let r = RateLimiter::new(2, 60);
        let k = [1; 32];
        assert!(r.hit(k, 0).is_ok());
        assert!(r.hit(k, 1).is_ok());
        assert_eq!(
            r.hit(k, 2),
            Err(Limited {
                retry_after_secs: 60
            })
        );
        assert!(r.hit([2; 32], 2).is_ok(), "other keys are unaffected");
        assert!(r.hit(k, 60_000).is_ok());
    }

    #[test]
    fn recorded_failures_trip_the_check_and_clearing_resets_them() {
        let r = RateLimiter::new(2, 60);
        let k = [1; 32];
        r.record(k, 0);
        assert!(r.check(k, 0).is_ok());
        r.record(k, 0);
        assert!(r.check(k, 0).is_err());
        r.clear(k);
        assert!(r.check(k, 0).is_ok());
    }

    #[test]
    fn purge_forgets_expired_windows() {
        let r = RateLimiter::new(2, 60);
        r.record([1; 32], 0);
        r.record([2; 32], 50_000);
        assert_eq!(r.purge(61_000), 1);
        assert_eq!(r.len(), 1);
    }
}

/// Keys (an HMAC of a handle and an address) that have logged in, kept 30
/// days from their last success, at most `MAX_KNOWN` (the oldest go first).
#[derive(Debug, Default)]
pub struct KnownClients {
    seen: std::sync::Mutex<std::collections::HashMap<Key, i64>>,
}

const KNOWN_FOR_MS: i64 = 30 * 24 * 3_600_000;
const MAX_KNOWN: usize = 100_000;

impl KnownClients {
    pub fn remember(&self, key: Key, now: i64) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        if seen.len() >= MAX_KNOWN {
            seen.retain(|_, at| now - *at < KNOWN_FOR_MS);
            if seen.len() >= MAX_KNOWN
                && let Some(oldest) = seen.iter().min_by_key(|(_, at)| **at).map(|(k, _)| *k)
            {
                seen.remove(&oldest);
            }
        }
        seen.insert(key, now);
    }

    pub fn knows(&self, key: &Key, now: i64) -> bool {
        self.seen
            .lock()
            .map(|seen| seen.get(key).is_some_and(|at| now - *at < KNOWN_FOR_MS))
            .unwrap_or(false)
    }
}
