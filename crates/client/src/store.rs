//! [`Store`]: the local copy of a collection that controllers read instead of the apiserver
//! (client-go's `Indexer`). Objects are kept by `namespace/name` as `Arc`s so reads are cheap
//! clones; indexes (by namespace built in, others registered by name) answer "which objects have
//! this value" without a scan, and stay consistent through every add, update, delete and
//! replace because they change under the same lock as the objects.

use crate::watcher::Event;
use api_types::labels::Selector;
use api_types::resource::Resource;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, PoisonError, RwLock};

/// The name of the built-in index of objects by namespace (upstream's `NamespaceIndex`).
pub const NAMESPACE_INDEX: &str = "namespace";

/// Computes the values an object is indexed under (none, one or several).
pub type IndexFn<K> = Arc<dyn Fn(&K) -> Vec<String> + Send + Sync>;

/// The key an object is stored under: `namespace/name`, or `name` at cluster scope
/// (client-go's `MetaNamespaceKeyFunc`).
pub fn object_key<K: Resource>(object: &K) -> String {
    let meta = object.metadata();
    if meta.namespace.is_empty() {
        meta.name.clone()
    } else {
        format!("{}/{}", meta.namespace, meta.name)
    }
}

/// A misuse of the store's indexes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// A lookup named an index nobody registered.
    #[error("index with name {0} does not exist")]
    Unknown(String),
    /// A second index was registered under a taken name.
    #[error("index with name {0} already exists")]
    Duplicate(String),
}

/// What applying one watch event changed, for whoever is told about changes (informer
/// handlers). Objects are shared with the store.
#[derive(Debug)]
pub enum Notification<K> {
    /// A key the store did not hold.
    Added(Arc<K>),
    /// `old` is what the store held before; on a resync `old` and `new` are the same object.
    Updated { old: Arc<K>, new: Arc<K> },
    /// `object` is the deleted object's last state. `final_state_unknown` is set when a relist
    /// found the object gone: the deletion happened while no watch was open, so `object` is the
    /// last state this store saw, which may be older than the state it was deleted in (upstream
    /// hands a `DeletedFinalStateUnknown` tombstone in that case).
    Deleted { object: Arc<K>, final_state_unknown: bool },
}

impl<K> Clone for Notification<K> {
    fn clone(&self) -> Self {
        match self {
            Notification::Added(object) => Notification::Added(object.clone()),
            Notification::Updated { old, new } => {
                Notification::Updated { old: old.clone(), new: new.clone() }
            }
            Notification::Deleted { object, final_state_unknown } => Notification::Deleted {
                object: object.clone(),
                final_state_unknown: *final_state_unknown,
            },
        }
    }
}

impl<K> Notification<K> {
    /// The object as it is now (for a deletion, as it was last).
    pub fn object(&self) -> &Arc<K> {
        match self {
            Notification::Added(object) | Notification::Updated { new: object, .. } => object,
            Notification::Deleted { object, .. } => object,
        }
    }
}

/// A thread-safe, indexed cache of one collection; clones share the same contents.
pub struct Store<K> {
    inner: Arc<RwLock<Inner<K>>>,
}

impl<K> Clone for Store<K> {
    fn clone(&self) -> Self {
        Store { inner: self.inner.clone() }
    }
}

struct Inner<K> {
    objects: HashMap<String, Arc<K>>,
    index_fns: HashMap<String, IndexFn<K>>,
    /// Index name → indexed value → keys of the objects with that value.
    indices: HashMap<String, HashMap<String, BTreeSet<String>>>,
}

impl<K: Resource> Default for Store<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Resource> Store<K> {
    /// An empty store with the namespace index.
    pub fn new() -> Self {
        let namespace: IndexFn<K> = Arc::new(|object: &K| {
            let namespace = &object.metadata().namespace;
            if namespace.is_empty() { Vec::new() } else { vec![namespace.clone()] }
        });
        let inner = Inner {
            objects: HashMap::new(),
            index_fns: HashMap::from([(NAMESPACE_INDEX.to_string(), namespace)]),
            indices: HashMap::from([(NAMESPACE_INDEX.to_string(), HashMap::new())]),
        };
        Store { inner: Arc::new(RwLock::new(inner)) }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner<K>> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner<K>> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers an index under `name`, built at once from the objects already held.
    pub fn add_index(
        &self,
        name: &str,
        index: impl Fn(&K) -> Vec<String> + Send + Sync + 'static,
    ) -> Result<(), IndexError> {
        let mut inner = self.write();
        if inner.index_fns.contains_key(name) {
            return Err(IndexError::Duplicate(name.to_string()));
        }
        let index: IndexFn<K> = Arc::new(index);
        let mut values: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (key, object) in &inner.objects {
            for value in index(object) {
                values.entry(value).or_default().insert(key.clone());
            }
        }
        inner.index_fns.insert(name.to_string(), index);
        inner.indices.insert(name.to_string(), values);
        Ok(())
    }

    /// The object stored under `key` (`namespace/name` or `name`).
    pub fn get(&self, key: &str) -> Option<Arc<K>> {
        self.read().objects.get(key).cloned()
    }

    /// Every object, in no particular order.
    pub fn list(&self) -> Vec<Arc<K>> {
        self.read().objects.values().cloned().collect()
    }

    /// Every key, in no particular order.
    pub fn keys(&self) -> Vec<String> {
        self.read().objects.keys().cloned().collect()
    }

    /// How many objects are held.
    pub fn len(&self) -> usize {
        self.read().objects.len()
    }

    /// Whether nothing is held (before the first list, or an empty collection).
    pub fn is_empty(&self) -> bool {
        self.read().objects.is_empty()
    }

    /// The objects of one namespace.
    pub fn list_namespace(&self, namespace: &str) -> Vec<Arc<K>> {
        self.by_index(NAMESPACE_INDEX, namespace).expect("the namespace index always exists")
    }

    /// The objects whose labels `selector` matches, in `namespace` or everywhere (what
    /// client-go's listers answer).
    pub fn select(&self, namespace: Option<&str>, selector: &Selector) -> Vec<Arc<K>> {
        let candidates = match namespace {
            Some(namespace) => self.list_namespace(namespace),
            None => self.list(),
        };
        candidates
            .into_iter()
            .filter(|object| selector.matches(&object.metadata().labels))
            .collect()
    }

    /// The objects index `name` files under `value`.
    pub fn by_index(&self, name: &str, value: &str) -> Result<Vec<Arc<K>>, IndexError> {
        let inner = self.read();
        let values = inner.indices.get(name).ok_or_else(|| IndexError::Unknown(name.into()))?;
        let Some(keys) = values.get(value) else { return Ok(Vec::new()) };
        Ok(keys.iter().filter_map(|key| inner.objects.get(key).cloned()).collect())
    }

    /// The keys index `name` files under `value`, sorted.
    pub fn index_keys(&self, name: &str, value: &str) -> Result<Vec<String>, IndexError> {
        let inner = self.read();
        let values = inner.indices.get(name).ok_or_else(|| IndexError::Unknown(name.into()))?;
        Ok(values.get(value).map(|keys| keys.iter().cloned().collect()).unwrap_or_default())
    }

    /// Every value index `name` currently holds objects under.
    pub fn index_values(&self, name: &str) -> Result<Vec<String>, IndexError> {
        let inner = self.read();
        let values = inner.indices.get(name).ok_or_else(|| IndexError::Unknown(name.into()))?;
        Ok(values.keys().cloned().collect())
    }

    /// Adds or replaces an object; returns what was stored under its key before.
    pub fn apply(&self, object: K) -> Option<Arc<K>> {
        self.write().insert(object_key(&object), Arc::new(object))
    }

    /// Removes the object stored under `object`'s key; returns it.
    pub fn delete(&self, object: &K) -> Option<Arc<K>> {
        self.write().remove(&object_key(object))
    }

    /// Replaces the whole contents with `objects`; returns the previous contents by key.
    pub fn replace(&self, objects: Vec<K>) -> HashMap<String, Arc<K>> {
        let mut inner = self.write();
        let objects = objects.into_iter().map(|object| (object_key(&object), Arc::new(object)));
        let previous = std::mem::replace(&mut inner.objects, objects.collect());
        inner.rebuild_indices();
        previous
    }

    /// Applies one watcher event and says what it changed. A relist reports objects that
    /// appeared as added, objects whose `resourceVersion` changed as updated (unchanged ones are
    /// not re-announced; a resync does that), and vanished ones as deleted with
    /// `final_state_unknown`. A deletion is reported even for an object the store did not hold.
    pub fn apply_event(&self, event: Event<K>) -> Vec<Notification<K>> {
        match event {
            Event::Applied(object) => {
                let new = Arc::new(object);
                match self.write().insert(object_key(&*new), new.clone()) {
                    Some(old) => vec![Notification::Updated { old, new }],
                    None => vec![Notification::Added(new)],
                }
            }
            Event::Deleted(object) => {
                self.write().remove(&object_key(&object));
                vec![Notification::Deleted { object: Arc::new(object), final_state_unknown: false }]
            }
            Event::Restarted(objects) => {
                let mut previous = self.replace(objects);
                let inner = self.read();
                let mut changes = Vec::new();
                for (key, new) in &inner.objects {
                    match previous.remove(key) {
                        None => changes.push(Notification::Added(new.clone())),
                        Some(old)
                            if old.metadata().resource_version
                                != new.metadata().resource_version =>
                        {
                            changes.push(Notification::Updated { old, new: new.clone() })
                        }
                        Some(_) => {}
                    }
                }
                changes.extend(
                    previous
                        .into_values()
                        .map(|object| Notification::Deleted { object, final_state_unknown: true }),
                );
                changes
            }
        }
    }
}

impl<K: Resource> Inner<K> {
    fn insert(&mut self, key: String, object: Arc<K>) -> Option<Arc<K>> {
        let old = self.objects.insert(key.clone(), object.clone());
        if let Some(old) = &old {
            self.unindex(&key, old);
        }
        self.index(&key, &object);
        old
    }

    fn remove(&mut self, key: &str) -> Option<Arc<K>> {
        let old = self.objects.remove(key)?;
        self.unindex(key, &old);
        Some(old)
    }

    fn index(&mut self, key: &str, object: &K) {
        for (name, index) in &self.index_fns {
            let values = self.indices.entry(name.clone()).or_default();
            for value in index(object) {
                values.entry(value).or_default().insert(key.to_string());
            }
        }
    }

    fn unindex(&mut self, key: &str, object: &K) {
        for (name, index) in &self.index_fns {
            let Some(values) = self.indices.get_mut(name) else { continue };
            for value in index(object) {
                if let Some(keys) = values.get_mut(&value) {
                    keys.remove(key);
                    if keys.is_empty() {
                        values.remove(&value);
                    }
                }
            }
        }
    }

    fn rebuild_indices(&mut self) {
        for values in self.indices.values_mut() {
            values.clear();
        }
        let objects: Vec<(String, Arc<K>)> =
            self.objects.iter().map(|(key, object)| (key.clone(), object.clone())).collect();
        for (key, object) in objects {
            self.index(&key, &object);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::api::core::v1::Pod;
    use serde_json::json;

    fn pod(namespace: &str, name: &str, node: &str, version: &str, app: &str) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"namespace": namespace, "name": name, "resourceVersion": version,
                         "labels": {"app": app}},
            "spec": {"nodeName": node, "containers": []}
        }))
        .unwrap()
    }

    fn names(objects: Vec<Arc<Pod>>) -> Vec<String> {
        let mut names: Vec<String> = objects.iter().map(|pod| object_key(&**pod)).collect();
        names.sort();
        names
    }

    fn by_node(pod: &Pod) -> Vec<String> {
        let node = &pod.spec.node_name;
        if node.is_empty() { Vec::new() } else { vec![node.clone()] }
    }

    #[test]
    fn indexes_follow_adds_updates_deletes_and_replaces() {
        let store = Store::new();
        store.apply(pod("a", "web-1", "node-1", "1", "web"));
        store.add_index("byNode", by_node).unwrap();
        assert_eq!(store.add_index("byNode", by_node), Err(IndexError::Duplicate("byNode".into())));
        store.apply(pod("a", "web-2", "node-1", "2", "web"));
        store.apply(pod("b", "db-1", "node-2", "3", "db"));
        assert_eq!(names(store.by_index("byNode", "node-1").unwrap()), ["a/web-1", "a/web-2"]);
        assert_eq!(names(store.list_namespace("b")), ["b/db-1"]);

        // An update moves the object between index values.
        let old = store.apply(pod("a", "web-2", "node-2", "4", "web")).unwrap();
        assert_eq!(old.metadata.resource_version, "2");
        assert_eq!(names(store.by_index("byNode", "node-1").unwrap()), ["a/web-1"]);
        assert_eq!(store.index_keys("byNode", "node-2").unwrap(), ["a/web-2", "b/db-1"]);

        store.delete(&pod("a", "web-1", "", "", ""));
        assert!(store.by_index("byNode", "node-1").unwrap().is_empty());
        let mut values = store.index_values("byNode").unwrap();
        values.sort();
        assert_eq!(values, ["node-2"]);

        store.replace(vec![pod("c", "x", "node-9", "5", "web")]);
        assert_eq!(store.keys(), ["c/x"]);
        assert!(store.list_namespace("a").is_empty());
        assert_eq!(names(store.by_index("byNode", "node-9").unwrap()), ["c/x"]);
        assert_eq!(store.index_values("byNode").unwrap(), ["node-9"]);
        assert_eq!(
            store.by_index("nope", "x").unwrap_err().to_string(),
            "index with name nope does not exist"
        );
    }

    #[test]
    fn label_selectors_pick_objects_within_a_namespace_or_everywhere() {
        let store = Store::new();
        store.apply(pod("a", "web-1", "", "1", "web"));
        store.apply(pod("b", "web-2", "", "2", "web"));
        store.apply(pod("a", "db-1", "", "3", "db"));
        let web = Selector::parse("app=web").unwrap();
        assert_eq!(names(store.select(None, &web)), ["a/web-1", "b/web-2"]);
        assert_eq!(names(store.select(Some("a"), &web)), ["a/web-1"]);
        let not_web = Selector::parse("app notin (web)").unwrap();
        assert_eq!(names(store.select(None, &not_web)), ["a/db-1"]);
        assert_eq!(store.get("a/db-1").unwrap().metadata.name, "db-1");
    }

    #[test]
    fn a_relist_reports_additions_real_updates_and_unseen_deletions() {
        let store = Store::new();
        store.apply_event(Event::Restarted(vec![
            pod("a", "same", "", "1", "x"),
            pod("a", "changed", "", "2", "x"),
            pod("a", "gone", "", "3", "x"),
        ]));
        let changes = store.apply_event(Event::Restarted(vec![
            pod("a", "same", "", "1", "x"),
            pod("a", "changed", "", "7", "x"),
            pod("a", "new", "", "8", "x"),
        ]));
        let mut summary: Vec<String> = changes
            .iter()
            .map(|change| match change {
                Notification::Added(new) => format!("added {}", new.metadata.name),
                Notification::Updated { old, new } => format!(
                    "updated {} {}->{}",
                    new.metadata.name, old.metadata.resource_version, new.metadata.resource_version
                ),
                Notification::Deleted { object, final_state_unknown } => {
                    format!("deleted {} {final_state_unknown}", object.metadata.name)
                }
            })
            .collect();
        summary.sort();
        assert_eq!(summary, ["added new", "deleted gone true", "updated changed 2->7"]);
        let deleted = store.apply_event(Event::Deleted(pod("a", "new", "", "9", "x")));
        assert!(matches!(&deleted[..], [Notification::Deleted { final_state_unknown: false, .. }]));
        assert_eq!(store.len(), 2);
    }
}
