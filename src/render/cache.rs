//! Rendered bodies kept from one build to the next.
//!
//! Turning a Markdown body into sanitised HTML depends only on the body,
//! where its page sits and which pages exist, so `okra serve` keeps the
//! result and reuses it while those stay the same. Results the latest build
//! did not use are dropped after it.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::generations::Generations;

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Key {
    /// The document's source path.
    path: String,
    /// A hash of everything else the result depends on.
    inputs: u64,
}

/// Rendered bodies by document and inputs.
#[derive(Default)]
pub struct BodyCache {
    results: Generations<Key, Arc<str>>,
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
        self.results.get_or_make(key, || Arc::from(make()))
    }

    /// Ends a build: what it did not use is forgotten after the next one.
    pub fn finish_build(&self) {
        self.results.finish();
    }

    /// How many results are kept.
    pub fn len(&self) -> usize {
        self.results.len()
    }

    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
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
