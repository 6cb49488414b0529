//! Values kept from one run over a site to the next, for `okra serve`.
//!
//! A [`Generations`] map holds what the run under way used and what the
//! run before it made; a value of the run before moves over when it is
//! used again. What a run did not use is dropped when the next one ends,
//! so the map never holds more than two runs' worth.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub type StableHasher = foldhash::quality::FoldHasher<'static>;

/// A fast hasher with a fixed seed: a value hashes the same in every run,
/// so hashes can be kept from one run to the next.
pub fn stable_hasher() -> StableHasher {
    foldhash::quality::FixedState::with_seed(0x6f6b_7261).build_hasher()
}

pub struct Generations<K, V> {
    current: Mutex<HashMap<K, V>>,
    previous: Mutex<HashMap<K, V>>,
}

impl<K, V> Default for Generations<K, V> {
    fn default() -> Self {
        Generations {
            current: Mutex::default(),
            previous: Mutex::default(),
        }
    }
}

impl<K: Hash + Eq, V: Clone> Generations<K, V> {
    /// The value for `key`, made by `make` unless this run or the one
    /// before already has it.
    pub fn get_or_make(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some(found) = lock(&self.current).get(&key) {
            return found.clone();
        }
        let value = lock(&self.previous).remove(&key).unwrap_or_else(make);
        lock(&self.current).insert(key, value.clone());
        value
    }

    /// Takes the value the run before kept for `key`, for the caller to
    /// judge whether it still holds.
    pub fn take_previous<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        lock(&self.previous).remove(key)
    }

    /// Keeps a value for the next run.
    pub fn keep(&self, key: K, value: V) {
        lock(&self.current).insert(key, value);
    }

    /// Ends a run: what it did not use is forgotten after the next one.
    pub fn finish(&self) {
        let used = std::mem::take(&mut *lock(&self.current));
        *lock(&self.previous) = used;
    }

    /// How many values are kept.
    pub fn len(&self) -> usize {
        lock(&self.current).len() + lock(&self.previous).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A lock that a panicked holder cannot poison: every change made under
/// these locks is a single insert, remove or swap, so the data stays whole.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
