//! `k8s.io.api.policy.v1` (and `v1beta1`): `Eviction`, the body of `pods/<name>/eviction`,
//! which `kubectl drain` and client-go's eviction helpers post. Both versions carry the same two
//! fields under the same numbers.

use super::meta::{DELETE_OPTIONS, OBJECT_META};
use crate::protobuf::schema::*;

messages! {
    EVICTION = "k8s.io.api.policy.v1.Eviction" {
        1 "metadata" msg(&OBJECT_META),
        2 "deleteOptions" msg(&DELETE_OPTIONS),
    }

    EVICTION_V1BETA1 = "k8s.io.api.policy.v1beta1.Eviction" {
        1 "metadata" msg(&OBJECT_META),
        2 "deleteOptions" msg(&DELETE_OPTIONS),
    }
}
