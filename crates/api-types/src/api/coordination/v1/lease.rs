//! `Lease`: a lock with an expiry, used for leader election and for node heartbeats (one lease
//! per node in `kube-node-lease`, renewed by its kubelet).

use crate::meta::v1::{MicroTime, ObjectMeta};
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// Who holds a lock and until when it counts as held.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.coordination.v1.Lease")]
#[serde(rename_all = "camelCase")]
pub struct Lease {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: LeaseSpec,
}

crate::impl_resource!(
    Lease,
    group = "coordination.k8s.io",
    version = "v1",
    kind = "Lease",
    plural = "leases",
    namespaced = true
);

/// The lease's holder and timing. Every field is optional, so a zero (`leaseTransitions: 0`)
/// is distinct from unset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.coordination.v1.LeaseSpec")]
#[serde(rename_all = "camelCase")]
pub struct LeaseSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_identity: Option<String>,
    /// How long after `renewTime` other candidates must wait before taking the lease over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_duration_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquire_time: Option<MicroTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_time: Option<MicroTime>,
    /// How many times the lease has changed holders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_transitions: Option<i32>,
    /// How coordinated leader election picks the holder (e.g. `OldestEmulationVersion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// Set by coordinated leader election to ask the holder to step down in favour of another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_holder: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn node_heartbeat_lease_round_trips() {
        // A kubelet's heartbeat lease in kube-node-lease, owned by its Node, as upstream's
        // kubelet maintains it (no acquireTime, microsecond renewTime).
        let wire = json!({
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:12:45Z",
                "name": "kind-worker",
                "namespace": "kube-node-lease",
                "ownerReferences": [{
                    "apiVersion": "v1",
                    "kind": "Node",
                    "name": "kind-worker",
                    "uid": "5c4b3a29-1807-4f6e-9d5c-4b3a29180706"
                }],
                "resourceVersion": "5120",
                "uid": "8e7d6c5b-4a39-4281-9f0e-d1c2b3a49586"
            },
            "spec": {
                "holderIdentity": "kind-worker",
                "leaseDurationSeconds": 40,
                "renewTime": "2025-03-10T10:01:12.403851Z"
            }
        });
        let lease: Lease = assert_round_trip(&wire);
        assert_eq!(lease.spec.lease_duration_seconds, Some(40));
        assert_eq!(lease.spec.acquire_time, None);
        assert_eq!(lease.spec.renew_time.unwrap().to_string(), "2025-03-10T10:01:12.403851Z");
    }

    #[test]
    fn leader_election_lease_keeps_zero_transitions() {
        // A kube-scheduler leader-election lease: leaseTransitions 0 is written, being a pointer.
        let wire = json!({
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:12:50Z",
                "name": "kube-scheduler",
                "namespace": "kube-system",
                "resourceVersion": "5133",
                "uid": "0f1e2d3c-4b5a-4697-8877-66554433aa22"
            },
            "spec": {
                "acquireTime": "2025-03-10T09:12:50.118602Z",
                "holderIdentity": "kind-control-plane_6b9a3d0e-1f2c-4e5d-8a7b-9c0d1e2f3a4b",
                "leaseDurationSeconds": 15,
                "leaseTransitions": 0,
                "preferredHolder": "kind-control-plane-2_0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                "renewTime": "2025-03-10T10:01:14.552107Z",
                "strategy": "OldestEmulationVersion"
            }
        });
        let lease: Lease = assert_round_trip(&wire);
        assert_eq!(lease.spec.lease_transitions, Some(0));
        assert_eq!(lease.spec.strategy.as_deref(), Some("OldestEmulationVersion"));
    }

    #[test]
    fn nulls_read_as_unset() {
        let lease: Lease = serde_json::from_value(json!({
            "spec": {"holderIdentity": null, "renewTime": null, "leaseTransitions": null}
        }))
        .unwrap();
        assert_eq!(lease.spec, LeaseSpec::default());
        assert_eq!(
            serde_json::to_value(&lease).unwrap(),
            json!({"metadata": {"creationTimestamp": null}, "spec": {}})
        );
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Lease::API_VERSION, Lease::KIND, Lease::PLURAL, Lease::NAMESPACED),
            ("coordination.k8s.io/v1", "Lease", "leases", true)
        );
        let mut object = Lease::default();
        object.set_type_meta();
        assert_eq!(
            (object.api_version.as_str(), object.kind.as_str()),
            ("coordination.k8s.io/v1", "Lease")
        );
    }
}
