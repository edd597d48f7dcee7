//! Expectations: what a controller is waiting to see through its watch after it asked the
//! apiserver to create or delete pods.
//!
//! A controller's cache lags its own writes. Without remembering "I asked for 3 pods and have
//! seen 1", the next sync would count 1 pod and create 2 more. So a sync records how many
//! creations it started and which pods it is deleting, the pod event handlers lower those counts
//! as the watch delivers the results, and a controller is synced again only when its
//! expectations are met, or have waited so long (5 minutes, as upstream) that something must
//! have been lost and a fresh look is safer.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long unmet expectations hold a controller back before it syncs anyway.
pub const EXPECTATIONS_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// What one controller still expects.
#[derive(Clone, Debug)]
struct Pending {
    creations: i64,
    /// The keys (`namespace/name`) of the pods it deleted and has not yet seen go.
    deletions: HashSet<String>,
    recorded: Instant,
}

/// Pending creations and deletions per controller key (`namespace/name`).
#[derive(Debug, Default)]
pub struct Expectations {
    pending: Mutex<HashMap<String, Pending>>,
}

impl Expectations {
    /// No expectations for anyone.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `controller` may sync: it expects nothing more, never recorded expectations, or
    /// they are older than [`EXPECTATIONS_TIMEOUT`].
    pub fn satisfied(&self, controller: &str) -> bool {
        self.satisfied_at(controller, Instant::now())
    }

    fn satisfied_at(&self, controller: &str, now: Instant) -> bool {
        let pending = self.pending.lock().expect("expectations lock");
        match pending.get(controller) {
            None => true,
            Some(entry) => {
                (entry.creations <= 0 && entry.deletions.is_empty())
                    || now.duration_since(entry.recorded) > EXPECTATIONS_TIMEOUT
            }
        }
    }

    /// Records that `controller` is about to create `count` pods (replacing what it expected).
    pub fn expect_creations(&self, controller: &str, count: usize) {
        self.record(controller, count, HashSet::new());
    }

    /// Records that `controller` is about to delete the pods with these keys.
    pub fn expect_deletions(&self, controller: &str, pods: impl IntoIterator<Item = String>) {
        self.record(controller, 0, pods.into_iter().collect());
    }

    fn record(&self, controller: &str, creations: usize, deletions: HashSet<String>) {
        let entry = Pending {
            creations: i64::try_from(creations).unwrap_or(i64::MAX),
            deletions,
            recorded: Instant::now(),
        };
        self.pending.lock().expect("expectations lock").insert(controller.to_string(), entry);
    }

    /// A pod `controller` created was seen (or its creation failed and will never be seen).
    pub fn creation_observed(&self, controller: &str) {
        if let Some(entry) = self.pending.lock().expect("expectations lock").get_mut(controller) {
            entry.creations -= 1;
        }
    }

    /// The pod with key `pod` is gone (or its deletion failed); only a pod `controller` was
    /// deleting counts.
    pub fn deletion_observed(&self, controller: &str, pod: &str) {
        if let Some(entry) = self.pending.lock().expect("expectations lock").get_mut(controller) {
            entry.deletions.remove(pod);
        }
    }

    /// Forgets `controller` (it was deleted).
    pub fn forget(&self, controller: &str) {
        self.pending.lock().expect("expectations lock").remove(controller);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creations_hold_the_controller_until_all_are_seen() {
        let expectations = Expectations::new();
        assert!(expectations.satisfied("default/web"), "nothing recorded yet");
        expectations.expect_creations("default/web", 2);
        assert!(!expectations.satisfied("default/web"));
        expectations.creation_observed("default/web");
        assert!(!expectations.satisfied("default/web"));
        expectations.creation_observed("default/web");
        assert!(expectations.satisfied("default/web"));
        assert!(expectations.satisfied("default/other"));
    }

    #[test]
    fn only_the_pods_being_deleted_count() {
        let expectations = Expectations::new();
        expectations.expect_deletions("default/web", ["default/a".into(), "default/b".into()]);
        expectations.deletion_observed("default/web", "default/unrelated");
        expectations.deletion_observed("default/web", "default/a");
        assert!(!expectations.satisfied("default/web"));
        expectations.deletion_observed("default/web", "default/a");
        assert!(!expectations.satisfied("default/web"), "seeing one pod twice counts once");
        expectations.deletion_observed("default/web", "default/b");
        assert!(expectations.satisfied("default/web"));
    }

    #[test]
    fn old_expectations_expire_and_forgotten_ones_are_gone() {
        let expectations = Expectations::new();
        expectations.expect_creations("default/web", 1);
        let later = Instant::now() + EXPECTATIONS_TIMEOUT + Duration::from_secs(1);
        assert!(expectations.satisfied_at("default/web", later));
        expectations.forget("default/web");
        assert!(expectations.satisfied("default/web"));
    }
}
