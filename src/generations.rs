//! Values kept from one run over a site to the next, for `okra serve`.
//!
//! A [`Generations`] map holds what the run under way used and what the
//! run before it made; a value of the run before moves over when it is
//! used again. What a run did not use is dropped when the next one ends,
//! so the map never holds more than two runs' worth.

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub(crate) type StableHasher = foldhash::quality::FoldHasher<'static>;

/// A fast hasher with a fixed seed: a value hashes the same in every run,
/// so hashes can be kept from one run to the next.
pub(crate) fn stable_hasher() -> StableHasher {
    foldhash::quality::FixedState::with_seed(0x6f6b_7261).build_hasher()
}

/// Keys are hashed with a fast hasher: they are paths and hashes of a
/// site's own files.
pub(crate) struct Generations<K, V> {
    current: Mutex<foldhash::HashMap<K, V>>,
    previous: Mutex<foldhash::HashMap<K, V>>,
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
    /// Takes the value the run before kept for `key`, for the caller to
    /// judge whether it still holds.
    pub(crate) fn take_previous<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        lock(&self.previous).remove(key)
    }

    /// Keeps a value for the next run.
    pub(crate) fn keep(&self, key: K, value: V) {
        lock(&self.current).insert(key, value);
    }

    /// The values kept for each of `keys` (`None` for a key without one),
    /// kept for the next run too. One lookup for many keys, so that
    /// threads do not take turns at the locks for each.
    pub(crate) fn reuse<'k>(&self, keys: impl IntoIterator<Item = Option<&'k K>>) -> Vec<Option<V>>
    where
        K: Clone + 'k,
    {
        let mut current = lock(&self.current);
        let mut previous = lock(&self.previous);
        keys.into_iter()
            .map(|key| {
                let key = key?;
                if let Some(found) = current.get(key) {
                    return Some(found.clone());
                }
                let found = previous.remove(key)?;
                current.insert(key.clone(), found.clone());
                Some(found)
            })
            .collect()
    }

    /// Keeps many values for the next run.
    pub(crate) fn keep_all(&self, values: impl IntoIterator<Item = (K, V)>) {
        lock(&self.current).extend(values);
    }

    /// Ends a run: what it did not use is forgotten after the next one.
    pub(crate) fn finish(&self) {
        let mut current = lock(&self.current);
        let fresh = foldhash::HashMap::with_capacity_and_hasher(current.len(), Default::default());
        let used = std::mem::replace(&mut *current, fresh);
        *lock(&self.previous) = used;
    }
}

/// A lock that a panicked holder cannot poison: every change made under
/// these locks is a single insert, remove or swap, so the data stays whole.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
