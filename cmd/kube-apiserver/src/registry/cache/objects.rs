//! The store of current objects: the state every list and every watch's initial events are
//! served from, kept in key order as storage lists it.

use super::object::CachedObject;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The current objects of one resource, by storage key.
pub struct ObjectStore<T> {
    objects: BTreeMap<String, Arc<CachedObject<T>>>,
}

impl<T> Default for ObjectStore<T> {
    fn default() -> Self {
        ObjectStore { objects: BTreeMap::new() }
    }
}

impl<T> ObjectStore<T> {
    /// Replaces everything with a fresh list.
    pub fn replace(&mut self, objects: Vec<Arc<CachedObject<T>>>) {
        self.objects = objects.into_iter().map(|object| (object.key.clone(), object)).collect();
    }

    /// Stores `object` as the current state of its key, returning the state it replaces.
    pub fn put(&mut self, object: Arc<CachedObject<T>>) -> Option<Arc<CachedObject<T>>> {
        self.objects.insert(object.key.clone(), object)
    }

    /// Forgets `key`, returning its last state.
    pub fn remove(&mut self, key: &str) -> Option<Arc<CachedObject<T>>> {
        self.objects.remove(key)
    }

    /// Every object whose key starts with `prefix`, in key order.
    pub fn under(&self, prefix: &str) -> Vec<Arc<CachedObject<T>>> {
        self.objects
            .range::<str, _>((std::ops::Bound::Included(prefix), std::ops::Bound::Unbounded))
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(_, object)| Arc::clone(object))
            .collect()
    }
}
