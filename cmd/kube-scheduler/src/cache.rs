//! The scheduler's cache (book 6.4.2, the "Modeler"): every node with the pods placed on it and
//! their totals. A pod counts as placed as soon as the scheduler *assumes* it, before the
//! binding comes back through the watch, so back-to-back pods see each other's requests and
//! ports; a failed binding *forgets* the assumption, and the watch *confirms* it.
//!
//! Node infos are shared copy-on-write: a [`Cache::snapshot`] is a list of `Arc`s that stays
//! consistent while the cache moves on (a changed node is copied, not mutated under a reader).

use crate::algorithm::NodeInfo;
use api_types::api::core::v1::{Node, Pod};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

/// Where the cache has a pod, and whether only because the scheduler assumed it there.
#[derive(Clone, Debug)]
struct PodState {
    node: String,
    assumed: bool,
}

#[derive(Default)]
struct Inner {
    /// Every node by name; some are known only from their pods (no Node object yet or any more).
    nodes: BTreeMap<String, Arc<NodeInfo>>,
    /// Every pod placed on a node, by `namespace/name`.
    pods: HashMap<String, PodState>,
}

/// Nodes and the pods on them; see the module documentation. Cheap to share behind an `Arc`.
#[derive(Default)]
pub struct Cache {
    inner: Mutex<Inner>,
}

fn key(pod: &Pod) -> String {
    format!("{}/{}", pod.metadata.namespace, pod.metadata.name)
}

impl Inner {
    fn node_mut(&mut self, name: &str) -> &mut NodeInfo {
        let info = self
            .nodes
            .entry(name.to_string())
            .or_insert_with(|| Arc::new(NodeInfo::without_node(name)));
        Arc::make_mut(info)
    }

    /// Removes the pod `key` from wherever it is counted.
    fn unplace(&mut self, key: &str, pod: &Pod) -> Option<PodState> {
        let state = self.pods.remove(key)?;
        let node = self.node_mut(&state.node);
        node.remove_pod(&pod.metadata.namespace, &pod.metadata.name);
        if node.node().is_none() && node.pods().is_empty() {
            self.nodes.remove(&state.node);
        }
        Some(state)
    }

    fn place(&mut self, key: String, pod: Arc<Pod>, node: &str, assumed: bool) {
        self.node_mut(node).add_pod(pod);
        self.pods.insert(key, PodState { node: node.to_string(), assumed });
    }
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Cache {
        Cache::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds or updates a node.
    pub fn set_node(&self, node: Arc<Node>) {
        let mut inner = self.lock();
        let name = node.metadata.name.clone();
        inner.node_mut(&name).set_node(node);
    }

    /// Removes a node; its pods stay counted until they are deleted.
    pub fn remove_node(&self, name: &str) {
        let mut inner = self.lock();
        let info = inner.node_mut(name);
        info.clear_node();
        if info.pods().is_empty() {
            inner.nodes.remove(name);
        }
    }

    /// Counts `pod` on `node` before its binding is confirmed. A pod already placed is left
    /// alone (and `false` returned).
    pub fn assume(&self, pod: &Pod, node: &str) -> bool {
        let key = key(pod);
        let mut inner = self.lock();
        if inner.pods.contains_key(&key) {
            return false;
        }
        let mut assumed = pod.clone();
        assumed.spec.node_name = node.to_string();
        inner.place(key, Arc::new(assumed), node, true);
        true
    }

    /// Drops an assumption (its binding failed); a confirmed pod stays.
    pub fn forget(&self, pod: &Pod) {
        let key = key(pod);
        let mut inner = self.lock();
        if inner.pods.get(&key).is_some_and(|state| state.assumed) {
            inner.unplace(&key, pod);
        }
    }

    /// A bound pod seen through the watch: confirms an assumption, or adds or updates the pod
    /// where the apiserver says it is.
    pub fn add_pod(&self, pod: Arc<Pod>) {
        let key = key(&pod);
        let mut inner = self.lock();
        inner.unplace(&key, &pod);
        let node = pod.spec.node_name.clone();
        inner.place(key, pod, &node, false);
    }

    /// A pod deleted (or finished): it no longer counts anywhere.
    pub fn remove_pod(&self, pod: &Pod) {
        self.lock().unplace(&key(pod), pod);
    }

    /// Whether the pod `namespace/name` is counted only by assumption.
    pub fn is_assumed(&self, namespace: &str, name: &str) -> bool {
        self.lock().pods.get(&format!("{namespace}/{name}")).is_some_and(|state| state.assumed)
    }

    /// Pods counted, assumed or confirmed.
    pub fn pod_count(&self) -> usize {
        self.lock().pods.len()
    }

    /// The nodes that exist (have a Node object), in name order, as they are now.
    pub fn snapshot(&self) -> Vec<Arc<NodeInfo>> {
        self.lock().nodes.values().filter(|info| info.node().is_some()).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;

    fn find<'a>(snapshot: &'a [Arc<NodeInfo>], name: &str) -> &'a NodeInfo {
        snapshot.iter().find(|info| info.name() == name).unwrap()
    }

    #[test]
    fn an_assumed_pod_counts_until_confirmed_or_forgotten() {
        let cache = Cache::new();
        cache.set_node(Arc::new(node("a", "2", "4Gi", json!({}))));
        let web = pod("web", "1", "1Gi");
        assert!(cache.assume(&web, "a"));
        assert!(!cache.assume(&web, "a"), "a pod is placed once");
        let before = cache.snapshot();
        assert_eq!(find(&before, "a").requested().milli_cpu, 1000);
        assert!(cache.is_assumed("default", "web"));

        // The binding comes back through the watch: confirmed, counted once.
        let mut bound = web.clone();
        bound.spec.node_name = "a".into();
        cache.add_pod(Arc::new(bound));
        assert!(!cache.is_assumed("default", "web"));
        assert_eq!(find(&cache.snapshot(), "a").requested().milli_cpu, 1000);
        cache.forget(&web);
        assert_eq!(cache.pod_count(), 1, "confirmed pods are not forgotten");

        // A failed binding forgets; an older snapshot is unaffected by later changes.
        let other = pod("other", "500m", "0");
        cache.assume(&other, "a");
        cache.forget(&other);
        assert_eq!(find(&cache.snapshot(), "a").requested().milli_cpu, 1000);
        assert_eq!(find(&before, "a").pods().len(), 1);
        cache.remove_pod(&web);
        assert_eq!(cache.pod_count(), 0);
        assert_eq!(find(&cache.snapshot(), "a").requested().milli_cpu, 0);
    }

    #[test]
    fn pods_on_unknown_nodes_wait_for_the_node() {
        let cache = Cache::new();
        let mut early = pod("early", "1", "0");
        early.spec.node_name = "b".into();
        cache.add_pod(Arc::new(early.clone()));
        assert!(cache.snapshot().is_empty(), "no Node object yet");
        cache.set_node(Arc::new(node("b", "2", "1Gi", json!({}))));
        assert_eq!(find(&cache.snapshot(), "b").requested().milli_cpu, 1000);
        cache.remove_node("b");
        assert!(cache.snapshot().is_empty());
        cache.remove_pod(&early);
        assert_eq!(cache.pod_count(), 0);
    }
}
