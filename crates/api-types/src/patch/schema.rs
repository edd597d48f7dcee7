//! Patch metadata of the Kubernetes types: which fields strategic merge patch treats specially.
//!
//! Upstream reads this from the `patchStrategy` and `patchMergeKey` struct tags of the Go types
//! (`k8s.io/api/core/v1`, `k8s.io/api/apps/v1`, `k8s.io/apimachinery/pkg/apis/meta/v1`). We keep
//! the same facts in a static table. A type lists only the fields that either carry a tag or lead
//! to a type that does; every other field gets the default treatment (objects merge, lists are
//! replaced), which is also what an untagged Go field gets.
//!
//! Tags follow upstream exactly, including the cases that surprise: `Container.resizePolicy`,
//! `PodSpec.readinessGates`, `PodSpec.tolerations`, `NodeSpec.taints` and `Endpoints.subsets`
//! carry no tag and are replaced whole; `PersistentVolume` has no conditions; and
//! `ServiceSpec.ports` merges on `port` alone, so two ports that differ only in protocol collide.

/// A `patchStrategy` tag value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchStrategy {
    /// `merge`: a list merges with the live one, by merge key for objects and as a set for
    /// primitives.
    Merge,
    /// `replace`: the field is replaced whole, even when it is an object.
    Replace,
    /// `retainKeys`: an object that drops the keys its patch's `$retainKeys` does not list
    /// (a union such as `DeploymentSpec.strategy`).
    RetainKeys,
    /// `merge,retainKeys`: a merging list whose elements are unions (`PodSpec.volumes`).
    MergeRetainKeys,
}

impl PatchStrategy {
    /// Reads a struct tag value as upstream writes it (`"merge,retainKeys"` in either order).
    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "merge" => Some(PatchStrategy::Merge),
            "replace" => Some(PatchStrategy::Replace),
            "retainKeys" => Some(PatchStrategy::RetainKeys),
            "merge,retainKeys" | "retainKeys,merge" => Some(PatchStrategy::MergeRetainKeys),
            _ => None,
        }
    }

    /// The struct tag value, as the OpenAPI `x-kubernetes-patch-strategy` extension spells it.
    pub fn tag(self) -> &'static str {
        match self {
            PatchStrategy::Merge => "merge",
            PatchStrategy::Replace => "replace",
            PatchStrategy::RetainKeys => "retainKeys",
            PatchStrategy::MergeRetainKeys => "merge,retainKeys",
        }
    }

    /// Whether a list under this strategy merges rather than being replaced.
    pub fn merges(self) -> bool {
        matches!(self, PatchStrategy::Merge | PatchStrategy::MergeRetainKeys)
    }

    /// Whether the diff must send `$retainKeys` for the field's objects.
    pub fn retains_keys(self) -> bool {
        matches!(self, PatchStrategy::RetainKeys | PatchStrategy::MergeRetainKeys)
    }
}

/// What strategic merge patch knows about one field of a type.
#[derive(Debug)]
pub struct FieldSchema {
    /// The field's JSON name.
    pub name: &'static str,
    /// The `patchStrategy` tag, if the field has one.
    pub strategy: Option<PatchStrategy>,
    /// The `patchMergeKey` tag: the member that identifies an element of a merging list.
    pub merge_key: Option<&'static str>,
    /// The type of the field's value (or of its list's elements), when that type has fields of
    /// its own in this table.
    pub schema: Option<&'static TypeSchema>,
}

/// The fields of one Go type that patch metadata is needed for.
#[derive(Debug)]
pub struct TypeSchema {
    /// The Go type name, used in error messages.
    pub name: &'static str,
    /// The fields that carry a tag or lead to a type with such fields.
    pub fields: &'static [FieldSchema],
}

impl TypeSchema {
    /// The metadata of the field called `json_name`; `None` means the default treatment.
    pub fn field(&self, json_name: &str) -> Option<&FieldSchema> {
        self.fields.iter().find(|field| field.name == json_name)
    }
}

/// The schema of a top-level kind (`"Pod"`, `"Deployment"`, ...), or `None` for a kind this
/// table does not describe (custom resources, unknown kinds): those get the default treatment
/// everywhere.
pub fn schema_for_kind(kind: &str) -> Option<&'static TypeSchema> {
    KINDS.iter().find(|(name, _)| *name == kind).map(|(_, schema)| *schema)
}

/// Every kind with a schema, for callers that list or validate them.
pub fn known_kinds() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|(name, _)| *name)
}

const KINDS: &[(&str, &TypeSchema)] = &[
    // core/v1
    ("Pod", &POD),
    ("PodTemplate", &POD_TEMPLATE),
    ("ReplicationController", &REPLICATION_CONTROLLER),
    ("Service", &SERVICE),
    ("Endpoints", &METADATA_ONLY),
    ("Node", &NODE),
    ("Namespace", &NAMESPACE),
    ("PersistentVolume", &METADATA_ONLY),
    ("PersistentVolumeClaim", &PERSISTENT_VOLUME_CLAIM),
    ("ConfigMap", &METADATA_ONLY),
    ("Secret", &METADATA_ONLY),
    ("ServiceAccount", &SERVICE_ACCOUNT),
    ("Event", &METADATA_ONLY),
    ("LimitRange", &METADATA_ONLY),
    ("ResourceQuota", &METADATA_ONLY),
    ("ComponentStatus", &COMPONENT_STATUS),
    ("Binding", &METADATA_ONLY),
    // apps/v1
    ("Deployment", &DEPLOYMENT),
    ("ReplicaSet", &REPLICA_SET),
    ("DaemonSet", &DAEMON_SET),
    ("StatefulSet", &STATEFUL_SET),
    ("ControllerRevision", &METADATA_ONLY),
    // autoscaling/v1
    ("HorizontalPodAutoscaler", &METADATA_ONLY),
    ("Scale", &METADATA_ONLY),
    // coordination.k8s.io/v1
    ("Lease", &METADATA_ONLY),
];

/// A field that is a plain struct whose own fields need metadata.
const fn nested(name: &'static str, schema: &'static TypeSchema) -> FieldSchema {
    FieldSchema { name, strategy: None, merge_key: None, schema: Some(schema) }
}

/// `patchStrategy:"merge" patchMergeKey:"<key>"` on a list of objects.
const fn merge_by(
    name: &'static str,
    key: &'static str,
    schema: Option<&'static TypeSchema>,
) -> FieldSchema {
    FieldSchema { name, strategy: Some(PatchStrategy::Merge), merge_key: Some(key), schema }
}

/// `patchStrategy:"merge,retainKeys" patchMergeKey:"<key>"` on a list of union objects.
const fn merge_retaining_keys_by(name: &'static str, key: &'static str) -> FieldSchema {
    FieldSchema {
        name,
        strategy: Some(PatchStrategy::MergeRetainKeys),
        merge_key: Some(key),
        schema: None,
    }
}

/// `patchStrategy:"merge"` on a list of primitives: a set.
const fn primitive_set(name: &'static str) -> FieldSchema {
    FieldSchema { name, strategy: Some(PatchStrategy::Merge), merge_key: None, schema: None }
}

/// `patchStrategy:"retainKeys"` on a union struct.
const fn retaining_keys(name: &'static str) -> FieldSchema {
    FieldSchema { name, strategy: Some(PatchStrategy::RetainKeys), merge_key: None, schema: None }
}

/// `metav1.Condition` and the per-type `XxxCondition` lists all merge on `type`.
const CONDITIONS: FieldSchema = merge_by("conditions", "type", None);

// meta/v1

static OBJECT_META: TypeSchema = TypeSchema {
    name: "ObjectMeta",
    fields: &[merge_by("ownerReferences", "uid", None), primitive_set("finalizers")],
};

/// The kinds whose only tagged fields are in their metadata.
static METADATA_ONLY: TypeSchema =
    TypeSchema { name: "object", fields: &[nested("metadata", &OBJECT_META)] };

// core/v1: pods and their templates

/// `Container` and `EphemeralContainerCommon` carry the same tags.
const CONTAINER_FIELDS: &[FieldSchema] = &[
    merge_by("ports", "containerPort", None),
    merge_by("env", "name", None),
    merge_by("volumeMounts", "mountPath", None),
    merge_by("volumeDevices", "devicePath", None),
];

static CONTAINER: TypeSchema = TypeSchema { name: "Container", fields: CONTAINER_FIELDS };

static EPHEMERAL_CONTAINER: TypeSchema =
    TypeSchema { name: "EphemeralContainer", fields: CONTAINER_FIELDS };

static POD_SPEC: TypeSchema = TypeSchema {
    name: "PodSpec",
    fields: &[
        merge_retaining_keys_by("volumes", "name"),
        merge_by("initContainers", "name", Some(&CONTAINER)),
        merge_by("containers", "name", Some(&CONTAINER)),
        merge_by("ephemeralContainers", "name", Some(&EPHEMERAL_CONTAINER)),
        merge_by("imagePullSecrets", "name", None),
        merge_by("hostAliases", "ip", None),
        merge_by("topologySpreadConstraints", "topologyKey", None),
        merge_by("schedulingGates", "name", None),
        merge_retaining_keys_by("resourceClaims", "name"),
    ],
};

static POD_STATUS: TypeSchema = TypeSchema {
    name: "PodStatus",
    fields: &[
        CONDITIONS,
        merge_by("podIPs", "ip", None),
        merge_by("hostIPs", "ip", None),
        merge_retaining_keys_by("resourceClaimStatuses", "name"),
    ],
};

static POD: TypeSchema = TypeSchema {
    name: "Pod",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &POD_SPEC),
        nested("status", &POD_STATUS),
    ],
};

static POD_TEMPLATE_SPEC: TypeSchema = TypeSchema {
    name: "PodTemplateSpec",
    fields: &[nested("metadata", &OBJECT_META), nested("spec", &POD_SPEC)],
};

static POD_TEMPLATE: TypeSchema = TypeSchema {
    name: "PodTemplate",
    fields: &[nested("metadata", &OBJECT_META), nested("template", &POD_TEMPLATE_SPEC)],
};

/// The `spec` of every controller that only embeds a pod template (RC, ReplicaSet, DaemonSet,
/// StatefulSet): `template` is its only field needing metadata.
static TEMPLATED_SPEC: TypeSchema = TypeSchema {
    name: "spec with a pod template",
    fields: &[nested("template", &POD_TEMPLATE_SPEC)],
};

/// The `status` of every type whose status only has a `conditions` list merged on `type`.
static CONDITIONED_STATUS: TypeSchema =
    TypeSchema { name: "status with conditions", fields: &[CONDITIONS] };

static REPLICATION_CONTROLLER: TypeSchema = TypeSchema {
    name: "ReplicationController",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &TEMPLATED_SPEC),
        nested("status", &CONDITIONED_STATUS),
    ],
};

// core/v1: the rest

static SERVICE_SPEC: TypeSchema =
    TypeSchema { name: "ServiceSpec", fields: &[merge_by("ports", "port", None)] };

static SERVICE: TypeSchema = TypeSchema {
    name: "Service",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &SERVICE_SPEC),
        nested("status", &CONDITIONED_STATUS),
    ],
};

static NODE_SPEC: TypeSchema =
    TypeSchema { name: "NodeSpec", fields: &[primitive_set("podCIDRs")] };

static NODE_STATUS: TypeSchema =
    TypeSchema { name: "NodeStatus", fields: &[CONDITIONS, merge_by("addresses", "type", None)] };

static NODE: TypeSchema = TypeSchema {
    name: "Node",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &NODE_SPEC),
        nested("status", &NODE_STATUS),
    ],
};

static NAMESPACE: TypeSchema = TypeSchema {
    name: "Namespace",
    fields: &[nested("metadata", &OBJECT_META), nested("status", &CONDITIONED_STATUS)],
};

static PERSISTENT_VOLUME_CLAIM: TypeSchema = TypeSchema {
    name: "PersistentVolumeClaim",
    fields: &[nested("metadata", &OBJECT_META), nested("status", &CONDITIONED_STATUS)],
};

static SERVICE_ACCOUNT: TypeSchema = TypeSchema {
    name: "ServiceAccount",
    fields: &[nested("metadata", &OBJECT_META), merge_by("secrets", "name", None)],
};

static COMPONENT_STATUS: TypeSchema =
    TypeSchema { name: "ComponentStatus", fields: &[nested("metadata", &OBJECT_META), CONDITIONS] };

// apps/v1

static DEPLOYMENT_SPEC: TypeSchema = TypeSchema {
    name: "DeploymentSpec",
    fields: &[nested("template", &POD_TEMPLATE_SPEC), retaining_keys("strategy")],
};

static DEPLOYMENT: TypeSchema = TypeSchema {
    name: "Deployment",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &DEPLOYMENT_SPEC),
        nested("status", &CONDITIONED_STATUS),
    ],
};

static REPLICA_SET: TypeSchema = TypeSchema {
    name: "ReplicaSet",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &TEMPLATED_SPEC),
        nested("status", &CONDITIONED_STATUS),
    ],
};

static DAEMON_SET: TypeSchema = TypeSchema {
    name: "DaemonSet",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &TEMPLATED_SPEC),
        nested("status", &CONDITIONED_STATUS),
    ],
};

static STATEFUL_SET: TypeSchema = TypeSchema {
    name: "StatefulSet",
    fields: &[
        nested("metadata", &OBJECT_META),
        nested("spec", &TEMPLATED_SPEC),
        nested("status", &CONDITIONED_STATUS),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Follows a path of field names from a kind and returns the last field's metadata.
    fn lookup(kind: &str, path: &[&str]) -> Option<&'static FieldSchema> {
        let mut schema = schema_for_kind(kind)?;
        let (last, parents) = path.split_last()?;
        for name in parents {
            schema = schema.field(name)?.schema?;
        }
        schema.field(last)
    }

    /// (kind, path, strategy tag, merge key), one row per tagged field the table must carry.
    const TAGGED_FIELDS: &[(&str, &[&str], &str, Option<&str>)] = &[
        ("Pod", &["metadata", "ownerReferences"], "merge", Some("uid")),
        ("Pod", &["metadata", "finalizers"], "merge", None),
        ("Pod", &["spec", "containers"], "merge", Some("name")),
        ("Pod", &["spec", "initContainers"], "merge", Some("name")),
        ("Pod", &["spec", "ephemeralContainers"], "merge", Some("name")),
        ("Pod", &["spec", "volumes"], "merge,retainKeys", Some("name")),
        ("Pod", &["spec", "imagePullSecrets"], "merge", Some("name")),
        ("Pod", &["spec", "hostAliases"], "merge", Some("ip")),
        ("Pod", &["spec", "topologySpreadConstraints"], "merge", Some("topologyKey")),
        ("Pod", &["spec", "schedulingGates"], "merge", Some("name")),
        ("Pod", &["spec", "resourceClaims"], "merge,retainKeys", Some("name")),
        ("Pod", &["spec", "containers", "ports"], "merge", Some("containerPort")),
        ("Pod", &["spec", "containers", "env"], "merge", Some("name")),
        ("Pod", &["spec", "containers", "volumeMounts"], "merge", Some("mountPath")),
        ("Pod", &["spec", "containers", "volumeDevices"], "merge", Some("devicePath")),
        ("Pod", &["spec", "ephemeralContainers", "env"], "merge", Some("name")),
        ("Pod", &["status", "conditions"], "merge", Some("type")),
        ("Pod", &["status", "podIPs"], "merge", Some("ip")),
        ("Pod", &["status", "hostIPs"], "merge", Some("ip")),
        ("Pod", &["status", "resourceClaimStatuses"], "merge,retainKeys", Some("name")),
        ("PodTemplate", &["template", "spec", "containers", "env"], "merge", Some("name")),
        (
            "ReplicationController",
            &["spec", "template", "spec", "volumes"],
            "merge,retainKeys",
            Some("name"),
        ),
        ("ReplicationController", &["status", "conditions"], "merge", Some("type")),
        ("Service", &["spec", "ports"], "merge", Some("port")),
        ("Service", &["status", "conditions"], "merge", Some("type")),
        ("Node", &["spec", "podCIDRs"], "merge", None),
        ("Node", &["status", "conditions"], "merge", Some("type")),
        ("Node", &["status", "addresses"], "merge", Some("type")),
        ("Namespace", &["status", "conditions"], "merge", Some("type")),
        ("PersistentVolumeClaim", &["status", "conditions"], "merge", Some("type")),
        ("ServiceAccount", &["secrets"], "merge", Some("name")),
        ("ComponentStatus", &["conditions"], "merge", Some("type")),
        ("Deployment", &["spec", "strategy"], "retainKeys", None),
        ("Deployment", &["spec", "template", "spec", "containers"], "merge", Some("name")),
        ("Deployment", &["spec", "template", "metadata", "finalizers"], "merge", None),
        ("Deployment", &["status", "conditions"], "merge", Some("type")),
        ("ReplicaSet", &["spec", "template", "spec", "containers"], "merge", Some("name")),
        ("ReplicaSet", &["status", "conditions"], "merge", Some("type")),
        ("DaemonSet", &["spec", "template", "spec", "initContainers"], "merge", Some("name")),
        ("DaemonSet", &["status", "conditions"], "merge", Some("type")),
        ("StatefulSet", &["status", "conditions"], "merge", Some("type")),
        ("Endpoints", &["metadata", "ownerReferences"], "merge", Some("uid")),
        ("Event", &["metadata", "finalizers"], "merge", None),
        ("Lease", &["metadata", "ownerReferences"], "merge", Some("uid")),
    ];

    #[test]
    fn tagged_fields_match_upstream() {
        for (kind, path, tag, key) in TAGGED_FIELDS {
            let field = lookup(kind, path).unwrap_or_else(|| panic!("{kind} {path:?} missing"));
            let strategy = field.strategy.expect("tagged field has a strategy");
            assert_eq!(strategy.tag(), *tag, "{kind} {path:?}");
            assert_eq!(field.merge_key, *key, "{kind} {path:?}");
        }
    }

    /// Fields upstream leaves untagged (atomic lists): they must not be in the table.
    #[test]
    fn untagged_fields_get_the_default() {
        let untagged: &[(&str, &[&str])] = &[
            ("Pod", &["spec", "containers", "resizePolicy"]),
            ("Pod", &["spec", "containers", "envFrom"]),
            ("Pod", &["spec", "readinessGates"]),
            ("Pod", &["spec", "tolerations"]),
            ("Pod", &["status", "containerStatuses"]),
            ("Node", &["spec", "taints"]),
            ("Endpoints", &["subsets"]),
            ("Namespace", &["spec", "finalizers"]),
            ("Pod", &["metadata", "labels"]),
        ];
        for (kind, path) in untagged {
            assert!(lookup(kind, path).is_none(), "{kind} {path:?} must be untagged");
        }
    }

    #[test]
    fn strategies_read_struct_tags() {
        for strategy in [
            PatchStrategy::Merge,
            PatchStrategy::Replace,
            PatchStrategy::RetainKeys,
            PatchStrategy::MergeRetainKeys,
        ] {
            assert_eq!(PatchStrategy::from_tag(strategy.tag()), Some(strategy));
        }
        assert_eq!(
            PatchStrategy::from_tag("retainKeys,merge"),
            Some(PatchStrategy::MergeRetainKeys)
        );
        assert_eq!(PatchStrategy::from_tag("append"), None);
        assert!(PatchStrategy::MergeRetainKeys.merges());
        assert!(PatchStrategy::MergeRetainKeys.retains_keys());
        assert!(!PatchStrategy::RetainKeys.merges());
        assert!(!PatchStrategy::Merge.retains_keys());
    }

    #[test]
    fn kinds_resolve() {
        assert!(schema_for_kind("Pod").is_some());
        assert!(schema_for_kind("Deployment").is_some());
        assert!(schema_for_kind("Widget").is_none());
        assert!(schema_for_kind("pod").is_none(), "kinds are case-sensitive");
        assert_eq!(known_kinds().count(), KINDS.len());
    }
}
