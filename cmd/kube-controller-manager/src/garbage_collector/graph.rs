//! The dependency graph (upstream's `GraphBuilder` and `node`): every observed object by uid,
//! with its owner references, and for every uid the uids of the objects naming it as an owner.
//!
//! An owner that is referenced but has not been observed is a *virtual* node: it may exist
//! (not seen yet) or not (the dependent is garbage), so it is handed to the workers, which ask
//! the apiserver. The graph itself never reads the cluster; each change returns the [`Work`] it
//! calls for, and the caller queues it.

use api_types::meta::v1::{ObjectMeta, OwnerReference};
use api_types::validation::meta::{FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS};
use std::collections::{BTreeSet, HashMap};

/// Which object a node is: enough to read it back from the apiserver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub api_version: String,
    pub kind: String,
    /// Empty at cluster scope.
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

impl Identity {
    /// The identity of an owner as a dependent in `namespace` names it.
    pub fn of_owner(reference: &OwnerReference, namespace: &str) -> Self {
        Identity {
            api_version: reference.api_version.clone(),
            kind: reference.kind.clone(),
            namespace: namespace.to_string(),
            name: reference.name.clone(),
            uid: reference.uid.clone(),
        }
    }
}

/// What a monitor saw of one object: its identity and the metadata the collector acts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub identity: Identity,
    pub owners: Vec<OwnerReference>,
    pub being_deleted: bool,
    pub finalizers: Vec<String>,
}

impl Observation {
    /// The observation of an object of kind `kind` (`api_version`) with metadata `meta`.
    pub fn new(api_version: &str, kind: &str, meta: ObjectMeta) -> Self {
        Observation {
            identity: Identity {
                api_version: api_version.to_string(),
                kind: kind.to_string(),
                namespace: meta.namespace,
                name: meta.name,
                uid: meta.uid,
            },
            owners: meta.owner_references,
            being_deleted: meta.deletion_timestamp.is_some(),
            finalizers: meta.finalizers,
        }
    }

    fn has(&self, finalizer: &str) -> bool {
        self.finalizers.iter().any(|present| present == finalizer)
    }

    /// Deleted with the `orphan` finalizer: its dependents are to be orphaned.
    fn waits_for_orphaning(&self) -> bool {
        self.being_deleted && self.has(FINALIZER_ORPHAN_DEPENDENTS)
    }

    /// Deleted in the foreground: its dependents are to be deleted first.
    fn waits_for_dependents(&self) -> bool {
        self.being_deleted && self.has(FINALIZER_DELETE_DEPENDENTS)
    }
}

/// One object (or a virtual owner) and the uids of its dependents.
#[derive(Clone, Debug)]
pub struct Node {
    pub identity: Identity,
    pub owners: Vec<OwnerReference>,
    pub dependents: BTreeSet<String>,
    /// False for a virtual node: referenced as an owner, never seen.
    pub observed: bool,
    /// Being deleted in the foreground (`foregroundDeletion` finalizer).
    pub deleting_dependents: bool,
    /// Being deleted with the `orphan` finalizer.
    pub orphaning: bool,
}

/// What a change to the graph asks the workers to look at, by uid.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Objects that may be garbage, owners whose foreground deletion may be done, and virtual
    /// owners to verify.
    pub attempt_to_delete: BTreeSet<String>,
    /// Owners deleted with the `orphan` finalizer.
    pub attempt_to_orphan: BTreeSet<String>,
}

impl Work {
    /// Whether nothing is to be done.
    pub fn is_empty(&self) -> bool {
        self.attempt_to_delete.is_empty() && self.attempt_to_orphan.is_empty()
    }

    fn merge(&mut self, other: Work) {
        self.attempt_to_delete.extend(other.attempt_to_delete);
        self.attempt_to_orphan.extend(other.attempt_to_orphan);
    }
}

/// The graph of every observed object.
#[derive(Debug, Default)]
pub struct Graph {
    nodes: HashMap<String, Node>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// The node with this uid.
    pub fn node(&self, uid: &str) -> Option<&Node> {
        self.nodes.get(uid)
    }

    /// How many nodes (observed and virtual) the graph holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph holds no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The dependents of `uid` whose reference to it has `blockOwnerDeletion`: what a foreground
    /// deletion of `uid` waits for.
    pub fn blocking_dependents(&self, uid: &str) -> Vec<Node> {
        let Some(owner) = self.nodes.get(uid) else { return Vec::new() };
        owner
            .dependents
            .iter()
            .filter_map(|dependent| self.nodes.get(dependent))
            .filter(|dependent| {
                dependent.owners.iter().any(|reference| {
                    reference.uid == uid && reference.block_owner_deletion == Some(true)
                })
            })
            .cloned()
            .collect()
    }

    /// The nodes of the objects naming `uid` as an owner.
    pub fn dependents(&self, uid: &str) -> Vec<Node> {
        let Some(owner) = self.nodes.get(uid) else { return Vec::new() };
        owner.dependents.iter().filter_map(|dependent| self.nodes.get(dependent)).cloned().collect()
    }

    /// An object was created or changed.
    pub fn observe(&mut self, observation: Observation) -> Work {
        let mut work = Work::default();
        let uid = observation.identity.uid.clone();
        let previous = self.nodes.get(&uid).filter(|node| node.observed).cloned();
        let old_owners = previous.as_ref().map(|node| node.owners.clone()).unwrap_or_default();
        let was_orphaning = previous.as_ref().is_some_and(|node| node.orphaning);
        let was_deleting_dependents =
            previous.as_ref().is_some_and(|node| node.deleting_dependents);

        // Owners whose reference went away or changed: a foreground deletion waiting on this
        // object may be done.
        for old in &old_owners {
            if !observation.owners.contains(old) {
                if !observation.owners.iter().any(|new| new.uid == old.uid) {
                    self.unlink(&old.uid, &uid);
                }
                if self.nodes.get(&old.uid).is_some_and(|owner| owner.deleting_dependents) {
                    work.attempt_to_delete.insert(old.uid.clone());
                }
            }
        }
        for reference in &observation.owners {
            let owner = self.nodes.entry(reference.uid.clone()).or_insert_with(|| {
                work.attempt_to_delete.insert(reference.uid.clone());
                Node {
                    identity: Identity::of_owner(reference, &observation.identity.namespace),
                    owners: Vec::new(),
                    dependents: BTreeSet::new(),
                    observed: false,
                    deleting_dependents: false,
                    orphaning: false,
                }
            });
            owner.dependents.insert(uid.clone());
        }

        let node = self.nodes.entry(uid.clone()).or_insert_with(|| Node {
            identity: observation.identity.clone(),
            owners: Vec::new(),
            dependents: BTreeSet::new(),
            observed: true,
            deleting_dependents: false,
            orphaning: false,
        });
        node.identity = observation.identity.clone();
        node.owners = observation.owners.clone();
        node.observed = true;
        node.deleting_dependents = observation.waits_for_dependents();
        node.orphaning = observation.waits_for_orphaning();

        if observation.waits_for_orphaning() && !was_orphaning {
            work.attempt_to_orphan.insert(uid.clone());
        } else if observation.waits_for_dependents() && !was_deleting_dependents {
            let node = &self.nodes[&uid];
            work.attempt_to_delete.extend(node.dependents.iter().cloned());
            work.attempt_to_delete.insert(uid);
        }
        work
    }

    /// An object was deleted (or found gone): its dependents may now be garbage, and owners
    /// waiting in the foreground for it may be done.
    pub fn remove(&mut self, uid: &str) -> Work {
        let mut work = Work::default();
        let Some(node) = self.nodes.remove(uid) else { return work };
        for reference in &node.owners {
            self.unlink(&reference.uid, uid);
            if self.nodes.get(&reference.uid).is_some_and(|owner| owner.deleting_dependents) {
                work.attempt_to_delete.insert(reference.uid.clone());
            }
        }
        work.attempt_to_delete.extend(node.dependents.iter().cloned());
        // The dependents still name it; keep a virtual node so they stay linked and the next
        // look at them confirms the owner is gone.
        if !node.dependents.is_empty() {
            self.nodes.insert(
                uid.to_string(),
                Node {
                    identity: node.identity,
                    owners: Vec::new(),
                    dependents: node.dependents,
                    observed: false,
                    deleting_dependents: false,
                    orphaning: false,
                },
            );
        }
        work
    }

    /// A relist of one kind (`api_version`, `kind`): every observed node of that kind missing
    /// from `observations` was deleted while nobody watched.
    pub fn replace_kind(
        &mut self,
        api_version: &str,
        kind: &str,
        observations: Vec<Observation>,
    ) -> Work {
        let listed: BTreeSet<String> =
            observations.iter().map(|observation| observation.identity.uid.clone()).collect();
        let gone: Vec<String> = self
            .nodes
            .values()
            .filter(|node| {
                node.observed
                    && node.identity.kind == kind
                    && node.identity.api_version == api_version
                    && !listed.contains(&node.identity.uid)
            })
            .map(|node| node.identity.uid.clone())
            .collect();
        let mut work = Work::default();
        for uid in gone {
            work.merge(self.remove(&uid));
        }
        for observation in observations {
            work.merge(self.observe(observation));
        }
        work
    }

    /// A virtual node the apiserver says does not exist: forgets it and returns its dependents,
    /// which are now worth a look.
    pub fn forget_virtual(&mut self, uid: &str) -> Work {
        let mut work = Work::default();
        if self.nodes.get(uid).is_some_and(|node| !node.observed)
            && let Some(node) = self.nodes.remove(uid)
        {
            work.attempt_to_delete.extend(node.dependents);
        }
        work
    }

    fn unlink(&mut self, owner: &str, dependent: &str) {
        let Some(node) = self.nodes.get_mut(owner) else { return };
        node.dependents.remove(dependent);
        if !node.observed && node.dependents.is_empty() {
            self.nodes.remove(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(uid: &str, block: bool) -> OwnerReference {
        OwnerReference {
            api_version: "v1".into(),
            kind: "ReplicationController".into(),
            name: format!("rc-{uid}"),
            uid: uid.into(),
            controller: Some(true),
            block_owner_deletion: Some(block),
        }
    }

    fn object(kind: &str, uid: &str, owners: Vec<OwnerReference>) -> Observation {
        Observation {
            identity: Identity {
                api_version: "v1".into(),
                kind: kind.into(),
                namespace: "default".into(),
                name: uid.into(),
                uid: uid.into(),
            },
            owners,
            being_deleted: false,
            finalizers: Vec::new(),
        }
    }

    fn deleting(mut observation: Observation, finalizer: &str) -> Observation {
        observation.being_deleted = true;
        observation.finalizers.push(finalizer.to_string());
        observation
    }

    fn uids(set: &BTreeSet<String>) -> Vec<&str> {
        set.iter().map(String::as_str).collect()
    }

    #[test]
    fn unseen_owners_are_verified_and_deleted_owners_expose_their_dependents() {
        let mut graph = Graph::new();
        let work = graph.observe(object("Pod", "pod", vec![reference("rc", true)]));
        assert_eq!(uids(&work.attempt_to_delete), ["rc"], "a virtual owner to verify");
        let rc = graph.node("rc").unwrap();
        assert!(!rc.observed);
        assert_eq!(rc.identity.namespace, "default");

        let work = graph.observe(object("ReplicationController", "rc", vec![]));
        assert!(work.is_empty(), "an owner showing up needs nothing");
        assert!(graph.node("rc").unwrap().observed);

        let work = graph.remove("rc");
        assert_eq!(uids(&work.attempt_to_delete), ["pod"]);
        assert!(!graph.node("rc").unwrap().observed, "kept virtual while the pod names it");
        graph.remove("pod");
        assert!(graph.is_empty(), "the virtual owner goes with its last dependent");
    }

    #[test]
    fn an_orphaning_owner_is_queued_once() {
        let mut graph = Graph::new();
        graph.observe(object("ReplicationController", "rc", vec![]));
        graph.observe(object("Pod", "pod", vec![reference("rc", true)]));
        let orphaning = deleting(object("ReplicationController", "rc", vec![]), "orphan");
        let work = graph.observe(orphaning.clone());
        assert_eq!(uids(&work.attempt_to_orphan), ["rc"]);
        assert!(graph.observe(orphaning).is_empty(), "no transition, no work");
        assert_eq!(graph.dependents("rc").len(), 1);
    }

    #[test]
    fn a_foreground_deletion_waits_for_blocking_dependents() {
        let mut graph = Graph::new();
        graph.observe(object("ReplicationController", "rc", vec![]));
        graph.observe(object("Pod", "blocking", vec![reference("rc", true)]));
        graph.observe(object("Pod", "free", vec![reference("rc", false)]));
        let work = graph
            .observe(deleting(object("ReplicationController", "rc", vec![]), "foregroundDeletion"));
        assert_eq!(uids(&work.attempt_to_delete), ["blocking", "free", "rc"]);
        assert!(graph.node("rc").unwrap().deleting_dependents);
        let blocking: Vec<_> =
            graph.blocking_dependents("rc").into_iter().map(|node| node.identity.uid).collect();
        assert_eq!(blocking, ["blocking"]);

        let work = graph.remove("blocking");
        assert_eq!(uids(&work.attempt_to_delete), ["rc"], "the owner may be done now");
        let work = graph.observe(object("Pod", "free", vec![]));
        assert_eq!(uids(&work.attempt_to_delete), ["rc"], "a dropped reference too");
        assert!(graph.dependents("rc").is_empty());
    }

    #[test]
    fn a_relist_removes_what_it_no_longer_holds_and_virtual_owners_can_be_forgotten() {
        let mut graph = Graph::new();
        graph.observe(object("ReplicationController", "rc", vec![]));
        graph.observe(object("Pod", "pod", vec![reference("rc", true)]));
        graph.observe(object("Pod", "orphan", vec![reference("never", true)]));
        let work = graph.replace_kind("v1", "ReplicationController", vec![]);
        assert_eq!(uids(&work.attempt_to_delete), ["pod"]);
        assert!(graph.node("pod").is_some(), "other kinds stay");

        let work = graph.forget_virtual("never");
        assert_eq!(uids(&work.attempt_to_delete), ["orphan"]);
        assert!(graph.node("never").is_none());
        assert!(graph.forget_virtual("pod").is_empty(), "observed nodes are not forgotten");
    }
}
