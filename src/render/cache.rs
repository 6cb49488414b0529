//! Rendered bodies kept from one build to the next.
//!
//! Turning a Markdown body into sanitised HTML depends only on the body,
//! where its page sits and which pages exist, so `okra serve` keeps the
//! result and reuses it while those stay the same. Results the latest build
//! did not use are dropped after it.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Key {
    /// The document's source path.
    path: String,
    /// A hash of everything else the result depends on.
    inputs: u64,
}

/// Results by key: those of the build under way, and those of the build
/// before, which are moved over as they are used.
#[derive(Debug, Default)]
pub struct BodyCache {
    current: Mutex<HashMap<Key, Arc<str>>>,
    previous: Mutex<HashMap<Key, Arc<str>>>,
}

impl BodyCache {
    /// The result for a document's body, made by `make` unless a build
    /// already made it from the same `inputs`.
    pub fn get_or_make(
        &self,
        path: &str,
        inputs: impl Hash,
        make: impl FnOnce() -> String,
    ) -> Arc<str> {
        let mut hasher = DefaultHasher::new();
        inputs.hash(&mut hasher);
        let key = Key {
            path: path.to_string(),
            inputs: hasher.finish(),
        };
        if let Some(found) = lock(&self.current).get(&key) {
            return Arc::clone(found);
        }
        let kept = lock(&self.previous).remove(&key);
        let value = kept.unwrap_or_else(|| Arc::from(make()));
        lock(&self.current).insert(key, Arc::clone(&value));
        value
    }

    /// Ends a build: what it did not use is forgotten after the next one.
    pub fn finish_build(&self) {
        let used = std::mem::take(&mut *lock(&self.current));
        *lock(&self.previous) = used;
    }

    /// How many results are kept.
    pub fn len(&self) -> usize {
        lock(&self.current).len() + lock(&self.previous).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A lock that a panicked holder cannot poison: the maps stay consistent
/// because every change to them is a single insert, remove or swap.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Makes the result itself, or asks the cache when there is one.
pub fn body(
    cache: Option<&BodyCache>,
    path: &str,
    inputs: impl Hash,
    make: impl FnOnce() -> String,
) -> Arc<str> {
    match cache {
        Some(cache) => cache.get_or_make(path, inputs, make),
        None => Arc::from(make()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_reused_while_their_inputs_stay_the_same() {
        let cache = BodyCache::default();
        let made = std::cell::Cell::new(0);
        let make = |text: &str| {
            made.set(made.get() + 1);
            text.to_string()
        };
        let html = |body: &str| cache.get_or_make("a.md", body, || make(body));
        assert_eq!(&*html("one"), "one");
        cache.finish_build();
        assert_eq!(&*html("one"), "one");
        assert_eq!(made.get(), 1, "the second build reused the first's result");
        assert_eq!(&*html("two"), "two");
        assert_eq!(made.get(), 2, "a changed body is made again");
        let elsewhere = cache.get_or_make("b.md", "two", || "b".into());
        assert_eq!(&*elsewhere, "b", "documents are kept apart");
        cache.finish_build();
        cache.finish_build();
        assert!(cache.is_empty(), "results no build used are dropped");
    }
}
