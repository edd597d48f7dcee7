//! `k8s.io.api.coordination.v1`: Lease, the heartbeat of nodes and leader elections.

use super::meta::OBJECT_META;
use crate::protobuf::schema::*;

messages! {
    LEASE = "k8s.io.api.coordination.v1.Lease" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&LEASE_SPEC),
    }

    LEASE_SPEC = "k8s.io.api.coordination.v1.LeaseSpec" {
        1 "holderIdentity" STRING,
        2 "leaseDurationSeconds" INT32,
        3 "acquireTime" MICRO_TIME,
        4 "renewTime" MICRO_TIME,
        5 "leaseTransitions" INT32,
        6 "strategy" STRING,
        7 "preferredHolder" STRING,
    }
}
