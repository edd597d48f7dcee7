//! Judging node health from heartbeats (book 6.3's node controller; upstream's
//! `tryUpdateNodeHealth`).
//!
//! A kubelet proves it is alive by changing its node's `Ready` condition heartbeat (or renewing
//! its Lease). The controller never compares the kubelet's clock with its own: it remembers, on
//! its own clock, when it last *saw* a heartbeat change, and declares the node's conditions
//! `Unknown` once nothing changed for the grace period (or, for a node that never reported, for
//! the startup grace period after the controller first saw it). Pods of a node that stayed not
//! ready for the eviction timeout are due for eviction.

use api_types::api::core::v1::{Node, NodeCondition};
use api_types::meta::v1::Time;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// The conditions the kubelet reports and the controller turns `Unknown` when it goes silent.
pub const WATCHED_CONDITIONS: [&str; 4] =
    ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/// How long nodes may stay silent.
#[derive(Clone, Copy, Debug)]
pub struct HealthPolicy {
    /// Silence after which a reporting node's conditions become `Unknown`.
    pub grace_period: Duration,
    /// Silence allowed to a node that has never reported.
    pub startup_grace_period: Duration,
    /// How long a node must be not ready before its pods are evicted.
    pub eviction_timeout: Duration,
}

/// What the controller last saw of one node, on its own clock.
#[derive(Clone, Debug)]
struct Observation {
    /// The heartbeat (Ready's `lastHeartbeatTime`, or the lease renew time) last seen.
    heartbeat: Option<DateTime<Utc>>,
    /// When the controller saw `heartbeat` change (or first saw the node).
    seen_at: DateTime<Utc>,
    /// Since when (controller clock) the node has been not ready, if it is.
    not_ready_since: Option<DateTime<Utc>>,
}

/// Heartbeat observations of every node.
#[derive(Debug, Default)]
pub struct HealthTracker {
    nodes: HashMap<String, Observation>,
}

/// What the controller should do about one node after a health check.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    /// New status conditions to write (`Unknown`), when the node went silent.
    pub conditions: Option<Vec<NodeCondition>>,
    /// Whether the node has been not ready for the eviction timeout.
    pub evict_pods: bool,
}

impl HealthTracker {
    /// Tracks nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets a deleted node.
    pub fn forget(&mut self, node: &str) {
        self.nodes.remove(node);
    }

    /// Keeps only the nodes `keep` accepts (the ones that still exist).
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.nodes.retain(|name, _| keep(name));
    }

    /// Checks `node` at `now` (the controller's clock); `lease_renewed` is the node's Lease
    /// renew time when it has one.
    pub fn check(
        &mut self,
        node: &Node,
        lease_renewed: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        policy: &HealthPolicy,
    ) -> Verdict {
        let ready = condition(node, "Ready");
        let reported_heartbeat = ready.and_then(|c| c.last_heartbeat_time.as_ref().map(|t| t.0));
        let heartbeat = reported_heartbeat.max(lease_renewed);
        let observation = self.nodes.entry(node.metadata.name.clone()).or_insert(Observation {
            heartbeat,
            seen_at: now,
            not_ready_since: None,
        });
        if heartbeat != observation.heartbeat {
            observation.heartbeat = heartbeat;
            observation.seen_at = now;
        }
        let grace = if ready.is_none() { policy.startup_grace_period } else { policy.grace_period };
        let silent = now - observation.seen_at > grace;

        let mut verdict = Verdict::default();
        let mut ready_status = ready.map_or("Unknown", |c| c.status.as_str()).to_string();
        if silent && (ready.is_none() || ready_status != "Unknown") {
            verdict.conditions = Some(unknown_conditions(node, ready.is_none(), now));
            ready_status = "Unknown".into();
        }
        if ready_status == "True" {
            observation.not_ready_since = None;
        } else {
            let since = *observation.not_ready_since.get_or_insert(now);
            verdict.evict_pods = now - since >= policy.eviction_timeout;
        }
        verdict
    }
}

/// The node's condition of type `kind`.
fn condition<'a>(node: &'a Node, kind: &str) -> Option<&'a NodeCondition> {
    node.status.conditions.iter().find(|condition| condition.type_ == kind)
}

/// The node's conditions with every watched one set to `Unknown` (added if missing), with
/// upstream's reasons and messages; heartbeats are kept, transitions stamped `now`.
fn unknown_conditions(node: &Node, never_reported: bool, now: DateTime<Utc>) -> Vec<NodeCondition> {
    let (reason, message) = if never_reported {
        ("NodeStatusNeverUpdated", "Kubelet never posted node status.")
    } else {
        ("NodeStatusUnknown", "Kubelet stopped posting node status.")
    };
    let mut conditions = node.status.conditions.clone();
    for kind in WATCHED_CONDITIONS {
        match conditions.iter_mut().find(|condition| condition.type_ == kind) {
            Some(existing) if existing.status == "Unknown" => {}
            Some(existing) => {
                existing.status = "Unknown".into();
                existing.reason = reason.into();
                existing.message = message.into();
                existing.last_transition_time = Some(Time(now));
            }
            None => conditions.push(NodeCondition {
                type_: kind.into(),
                status: "Unknown".into(),
                last_heartbeat_time: Some(Time(node_created(node).unwrap_or(now))),
                last_transition_time: Some(Time(now)),
                reason: reason.into(),
                message: message.into(),
            }),
        }
    }
    conditions
}

fn node_created(node: &Node) -> Option<DateTime<Utc>> {
    node.metadata.creation_timestamp.as_ref().map(|time| time.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const POLICY: HealthPolicy = HealthPolicy {
        grace_period: Duration::seconds(40),
        startup_grace_period: Duration::seconds(60),
        eviction_timeout: Duration::seconds(300),
    };

    fn at(seconds: i64) -> DateTime<Utc> {
        "2024-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::seconds(seconds)
    }

    fn node(heartbeat: Option<i64>) -> Node {
        let conditions: Vec<_> = heartbeat
            .map(|seconds| {
                json!({"type": "Ready", "status": "True",
                                  "lastHeartbeatTime": Time(at(seconds)),
                                  "lastTransitionTime": Time(at(0))})
            })
            .into_iter()
            .collect();
        serde_json::from_value(json!({
            "metadata": {"name": "node-1", "creationTimestamp": Time(at(0))},
            "status": {"conditions": conditions}
        }))
        .unwrap()
    }

    #[test]
    fn a_heartbeating_node_stays_ready() {
        let mut tracker = HealthTracker::new();
        for step in 0..10 {
            let verdict =
                tracker.check(&node(Some(step * 10)), None, at(step * 10 + 1000), &POLICY);
            assert_eq!(verdict, Verdict::default());
        }
    }

    #[test]
    fn a_silent_node_turns_unknown_then_its_pods_are_evicted() {
        let mut tracker = HealthTracker::new();
        // The kubelet's clock is far behind ours: only changes count, not the values.
        let silent = node(Some(-10_000));
        assert!(tracker.check(&silent, None, at(0), &POLICY).conditions.is_none());
        assert!(tracker.check(&silent, None, at(40), &POLICY).conditions.is_none());
        let verdict = tracker.check(&silent, None, at(41), &POLICY);
        let conditions = verdict.conditions.expect("marked unknown");
        let ready = conditions.iter().find(|c| c.type_ == "Ready").unwrap();
        assert_eq!(
            (ready.status.as_str(), ready.reason.as_str()),
            ("Unknown", "NodeStatusUnknown")
        );
        assert_eq!(ready.message, "Kubelet stopped posting node status.");
        assert_eq!(conditions.len(), 4, "every watched condition is present");
        assert!(!verdict.evict_pods);

        let mut unknown = silent.clone();
        unknown.status.conditions = conditions;
        assert!(!tracker.check(&unknown, None, at(300), &POLICY).evict_pods);
        let verdict = tracker.check(&unknown, None, at(341), &POLICY);
        assert!(verdict.evict_pods && verdict.conditions.is_none());
    }

    #[test]
    fn lease_renewals_count_as_heartbeats_and_recovery_resets_eviction() {
        let mut tracker = HealthTracker::new();
        let quiet = node(Some(0));
        tracker.check(&quiet, Some(at(0)), at(0), &POLICY);
        assert!(tracker.check(&quiet, Some(at(30)), at(30), &POLICY).conditions.is_none());
        assert!(tracker.check(&quiet, Some(at(60)), at(60), &POLICY).conditions.is_none());
        assert!(tracker.check(&quiet, Some(at(60)), at(101), &POLICY).conditions.is_some());
    }

    #[test]
    fn a_node_that_never_reported_gets_the_startup_grace() {
        let mut tracker = HealthTracker::new();
        let mute = node(None);
        assert!(tracker.check(&mute, None, at(0), &POLICY).conditions.is_none());
        assert!(tracker.check(&mute, None, at(50), &POLICY).conditions.is_none());
        let conditions = tracker.check(&mute, None, at(61), &POLICY).conditions.unwrap();
        assert_eq!(conditions[0].reason, "NodeStatusNeverUpdated");
    }
}
