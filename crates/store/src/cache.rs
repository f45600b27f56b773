//! A one-value cache with a time to live, for settings every request reads and an
//! administrator rarely changes. A change through the store clears it at once; a change made
//! by another process shows within the TTL.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a cached setting is trusted.
pub(crate) const SETTINGS_TTL: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(crate) struct TtlCache<T> {
    slot: Arc<Mutex<Option<(T, Instant)>>>,
    ttl: Duration,
}

impl<T: Clone> TtlCache<T> {
    pub fn new(ttl: Duration) -> Self {
        TtlCache {
            slot: Arc::new(Mutex::new(None)),
            ttl,
        }
    }

    /// The cached value if it is still fresh.
    pub fn get(&self) -> Option<T> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| v.clone())
    }

    pub fn put(&self, v: T) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some((v, Instant::now()));
    }

    pub fn clear(&self) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl<T: Clone> Default for TtlCache<T> {
    fn default() -> Self {
        Self::new(SETTINGS_TTL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_then_stale_then_cleared() {
        let c = TtlCache::new(Duration::from_millis(30));
        assert_eq!(c.get(), None::<u8>);
        c.put(7);
        assert_eq!(c.get(), Some(7));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(), None);
        c.put(8);
        c.clear();
        assert_eq!(c.get(), None);
    }
}
