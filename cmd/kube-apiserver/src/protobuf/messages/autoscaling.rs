//! `k8s.io.api.autoscaling.v1`: `Scale`, the body of every `/scale` subresource.

use super::meta::OBJECT_META;
use crate::protobuf::schema::*;

messages! {
    SCALE = "k8s.io.api.autoscaling.v1.Scale" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&SCALE_SPEC),
        3 "status" msg(&SCALE_STATUS),
    }

    SCALE_SPEC = "k8s.io.api.autoscaling.v1.ScaleSpec" {
        1 "replicas" INT32,
    }

    SCALE_STATUS = "k8s.io.api.autoscaling.v1.ScaleStatus" {
        1 "replicas" INT32,
        2 "selector" STRING,
    }
}
