//! `k8s.io.apimachinery.pkg.apis.meta.v1`: object and list metadata, selectors, conditions, and
//! the option and status kinds every group shares.

use crate::protobuf::schema::*;

messages! {
    /// `metadata` of every object.
    OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta" {
        1 "name" STRING,
        2 "generateName" STRING,
        3 "namespace" STRING,
        4 "selfLink" STRING,
        5 "uid" STRING,
        6 "resourceVersion" STRING,
        7 "generation" INT64,
        8 "creationTimestamp" TIME,
        9 "deletionTimestamp" TIME,
        10 "deletionGracePeriodSeconds" INT64,
        11 "labels" STRING_MAP,
        12 "annotations" STRING_MAP,
        13 "ownerReferences" list(msg(&OWNER_REFERENCE)),
        14 "finalizers" list(STRING),
        17 "managedFields" list(msg(&MANAGED_FIELDS_ENTRY)),
    }

    LIST_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta" {
        1 "selfLink" STRING,
        2 "resourceVersion" STRING,
        3 "continue" STRING,
        4 "remainingItemCount" INT64,
    }

    OWNER_REFERENCE = "k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference" {
        1 "kind" STRING,
        3 "name" STRING,
        4 "uid" STRING,
        5 "apiVersion" STRING,
        6 "controller" BOOL,
        7 "blockOwnerDeletion" BOOL,
    }

    MANAGED_FIELDS_ENTRY = "k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry" {
        1 "manager" STRING,
        2 "operation" STRING,
        3 "apiVersion" STRING,
        4 "time" TIME,
        6 "fieldsType" STRING,
        7 "fieldsV1" RAW_JSON,
        8 "subresource" STRING,
    }

    LABEL_SELECTOR = "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector" {
        1 "matchLabels" STRING_MAP,
        2 "matchExpressions" list(msg(&LABEL_SELECTOR_REQUIREMENT)),
    }

    LABEL_SELECTOR_REQUIREMENT = "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement" {
        1 "key" STRING,
        2 "operator" STRING,
        3 "values" list(STRING),
    }

    CONDITION = "k8s.io.apimachinery.pkg.apis.meta.v1.Condition" {
        1 "type" STRING,
        2 "status" STRING,
        3 "observedGeneration" INT64,
        4 "lastTransitionTime" TIME,
        5 "reason" STRING,
        6 "message" STRING,
    }

    /// The body of deletes.
    DELETE_OPTIONS = "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions" {
        1 "gracePeriodSeconds" INT64,
        2 "preconditions" msg(&PRECONDITIONS),
        3 "orphanDependents" BOOL,
        4 "propagationPolicy" STRING,
        5 "dryRun" list(STRING),
        6 "ignoreStoreReadErrorWithClusterBreakingPotential" BOOL,
    }

    PRECONDITIONS = "k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions" {
        1 "uid" STRING,
        2 "resourceVersion" STRING,
    }

    /// Errors and the result of some deletes.
    STATUS = "k8s.io.apimachinery.pkg.apis.meta.v1.Status" {
        1 "metadata" msg(&LIST_META),
        2 "status" STRING,
        3 "message" STRING,
        4 "reason" STRING,
        5 "details" msg(&STATUS_DETAILS),
        6 "code" INT32,
    }

    STATUS_DETAILS = "k8s.io.apimachinery.pkg.apis.meta.v1.StatusDetails" {
        1 "name" STRING,
        2 "group" STRING,
        3 "kind" STRING,
        6 "uid" STRING,
        4 "causes" list(msg(&STATUS_CAUSE)),
        5 "retryAfterSeconds" INT32,
    }

    STATUS_CAUSE = "k8s.io.apimachinery.pkg.apis.meta.v1.StatusCause" {
        1 "reason" STRING,
        2 "message" STRING,
        3 "field" STRING,
    }
}
