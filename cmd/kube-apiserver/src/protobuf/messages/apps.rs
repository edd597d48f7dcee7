//! `k8s.io.api.apps.v1`: Deployment, ReplicaSet and DaemonSet.

use super::core_pod::POD_TEMPLATE_SPEC;
use super::meta::{LABEL_SELECTOR, OBJECT_META};
use crate::protobuf::schema::*;

messages! {
    DEPLOYMENT = "k8s.io.api.apps.v1.Deployment" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&DEPLOYMENT_SPEC),
        3 "status" msg(&DEPLOYMENT_STATUS),
    }

    DEPLOYMENT_SPEC = "k8s.io.api.apps.v1.DeploymentSpec" {
        1 "replicas" INT32,
        2 "selector" msg(&LABEL_SELECTOR),
        3 "template" msg(&POD_TEMPLATE_SPEC),
        4 "strategy" msg(&DEPLOYMENT_STRATEGY),
        5 "minReadySeconds" INT32,
        6 "revisionHistoryLimit" INT32,
        7 "paused" BOOL,
        9 "progressDeadlineSeconds" INT32,
    }

    DEPLOYMENT_STRATEGY = "k8s.io.api.apps.v1.DeploymentStrategy" {
        1 "type" STRING,
        2 "rollingUpdate" msg(&ROLLING_UPDATE_DEPLOYMENT),
    }

    ROLLING_UPDATE_DEPLOYMENT = "k8s.io.api.apps.v1.RollingUpdateDeployment" {
        1 "maxUnavailable" INT_OR_STRING,
        2 "maxSurge" INT_OR_STRING,
    }

    DEPLOYMENT_STATUS = "k8s.io.api.apps.v1.DeploymentStatus" {
        1 "observedGeneration" INT64,
        2 "replicas" INT32,
        3 "updatedReplicas" INT32,
        7 "readyReplicas" INT32,
        4 "availableReplicas" INT32,
        5 "unavailableReplicas" INT32,
        6 "conditions" list(msg(&DEPLOYMENT_CONDITION)),
        8 "collisionCount" INT32,
    }

    DEPLOYMENT_CONDITION = "k8s.io.api.apps.v1.DeploymentCondition" {
        1 "type" STRING,
        2 "status" STRING,
        6 "lastUpdateTime" TIME,
        7 "lastTransitionTime" TIME,
        4 "reason" STRING,
        5 "message" STRING,
    }

    REPLICA_SET = "k8s.io.api.apps.v1.ReplicaSet" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&REPLICA_SET_SPEC),
        3 "status" msg(&REPLICA_SET_STATUS),
    }

    REPLICA_SET_SPEC = "k8s.io.api.apps.v1.ReplicaSetSpec" {
        1 "replicas" INT32,
        4 "minReadySeconds" INT32,
        2 "selector" msg(&LABEL_SELECTOR),
        3 "template" msg(&POD_TEMPLATE_SPEC),
    }

    REPLICA_SET_STATUS = "k8s.io.api.apps.v1.ReplicaSetStatus" {
        1 "replicas" INT32,
        2 "fullyLabeledReplicas" INT32,
        4 "readyReplicas" INT32,
        5 "availableReplicas" INT32,
        3 "observedGeneration" INT64,
        6 "conditions" list(msg(&REPLICA_SET_CONDITION)),
    }

    REPLICA_SET_CONDITION = "k8s.io.api.apps.v1.ReplicaSetCondition" {
        1 "type" STRING,
        2 "status" STRING,
        3 "lastTransitionTime" TIME,
        4 "reason" STRING,
        5 "message" STRING,
    }

    DAEMON_SET = "k8s.io.api.apps.v1.DaemonSet" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&DAEMON_SET_SPEC),
        3 "status" msg(&DAEMON_SET_STATUS),
    }

    DAEMON_SET_SPEC = "k8s.io.api.apps.v1.DaemonSetSpec" {
        1 "selector" msg(&LABEL_SELECTOR),
        2 "template" msg(&POD_TEMPLATE_SPEC),
        3 "updateStrategy" msg(&DAEMON_SET_UPDATE_STRATEGY),
        4 "minReadySeconds" INT32,
        6 "revisionHistoryLimit" INT32,
    }

    DAEMON_SET_UPDATE_STRATEGY = "k8s.io.api.apps.v1.DaemonSetUpdateStrategy" {
        1 "type" STRING,
        2 "rollingUpdate" msg(&ROLLING_UPDATE_DAEMON_SET),
    }

    ROLLING_UPDATE_DAEMON_SET = "k8s.io.api.apps.v1.RollingUpdateDaemonSet" {
        1 "maxUnavailable" INT_OR_STRING,
        2 "maxSurge" INT_OR_STRING,
    }

    DAEMON_SET_STATUS = "k8s.io.api.apps.v1.DaemonSetStatus" {
        1 "currentNumberScheduled" INT32,
        2 "numberMisscheduled" INT32,
        3 "desiredNumberScheduled" INT32,
        4 "numberReady" INT32,
        5 "observedGeneration" INT64,
        6 "updatedNumberScheduled" INT32,
        7 "numberAvailable" INT32,
        8 "numberUnavailable" INT32,
        9 "collisionCount" INT32,
        10 "conditions" list(msg(&DAEMON_SET_CONDITION)),
    }

    DAEMON_SET_CONDITION = "k8s.io.api.apps.v1.DaemonSetCondition" {
        1 "type" STRING,
        2 "status" STRING,
        3 "lastTransitionTime" TIME,
        4 "reason" STRING,
        5 "message" STRING,
    }
}
