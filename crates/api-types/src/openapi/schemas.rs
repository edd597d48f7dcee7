//! The schema definitions: derived from the Rust types, then given upstream's extensions.

use super::kinds::{KindInfo, kinds};
use crate::meta::v1::{ListMeta, Status};
use crate::patch::schema::{TypeSchema, schema_for_kind};
use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use schemars::transform::RemoveRefSiblings;
use serde_json::{Map, Value, json};

/// Which OpenAPI version a document is for; they differ only in where definitions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Swagger 2.0: `#/definitions/<name>`.
    V2,
    /// OpenAPI 3.0: `#/components/schemas/<name>`.
    V3,
}

impl Flavor {
    fn definitions_path(self) -> &'static str {
        match self {
            Flavor::V2 => "/definitions",
            Flavor::V3 => "/components/schemas",
        }
    }

    /// A `$ref` to the named definition.
    pub fn reference(self, definition: &str) -> Value {
        json!({ "$ref": format!("#{}/{}", self.definitions_path(), definition) })
    }
}

/// The upstream name of the shared list metadata definition.
pub const LIST_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
/// The upstream name of the patch body definition.
pub const PATCH: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
/// The upstream name of the status (error and delete response) definition.
pub const STATUS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";

/// Fields upstream marks required that our types accept as missing (they default through
/// serde); listing them lets client-side validation and `kubectl explain` say so.
const REQUIRED: &[(&str, &[&str])] = &[
    ("io.k8s.api.core.v1.PodSpec", &["containers"]),
    ("io.k8s.api.core.v1.Container", &["name"]),
    ("io.k8s.api.core.v1.ContainerPort", &["containerPort"]),
    ("io.k8s.api.core.v1.EnvVar", &["name"]),
    ("io.k8s.api.core.v1.VolumeMount", &["name", "mountPath"]),
    ("io.k8s.api.core.v1.Volume", &["name"]),
    ("io.k8s.api.core.v1.ServicePort", &["port"]),
    ("io.k8s.api.apps.v1.DeploymentSpec", &["selector", "template"]),
    ("io.k8s.api.apps.v1.ReplicaSetSpec", &["selector"]),
    ("io.k8s.api.apps.v1.DaemonSetSpec", &["selector", "template"]),
];

/// The list kind's definition name: `io.k8s.api.core.v1.PodList`.
pub fn list_definition(kind: &KindInfo) -> String {
    format!("{}List", kind.definition)
}

/// Every definition the documents need, keyed by upstream's names, for one flavor.
pub fn definitions(flavor: Flavor) -> Map<String, Value> {
    let settings = SchemaSettings::openapi3().with(|settings| {
        settings.definitions_path = flavor.definitions_path().into();
        settings.meta_schema = None;
        // Swagger 2.0 readers (kubectl's v2 parser) take `$ref` with sibling keys, as
        // upstream writes them; OpenAPI 3.0 wants the `allOf` wrapper.
        if flavor == Flavor::V2 {
            settings.transforms.retain(|transform| !transform.is::<RemoveRefSiblings>());
        }
    });
    let mut generator = SchemaGenerator::new(settings);
    let all = kinds();
    for kind in &all {
        (kind.schema)(&mut generator);
    }
    generator.subschema_for::<ListMeta>();
    generator.subschema_for::<Status>();
    let mut definitions = generator.take_definitions(true);
    for definition in definitions.values_mut() {
        strip_noise(definition);
    }
    for (name, fields) in REQUIRED {
        if let Some(definition) = definitions.get_mut(*name) {
            definition["required"] = json!(fields);
        }
    }
    for kind in &all {
        if let Some(definition) = definitions.get_mut(kind.definition) {
            definition["x-kubernetes-group-version-kind"] = gvk(kind, kind.kind);
        }
        if let Some(patch_schema) = schema_for_kind(kind.kind) {
            annotate_patch_metadata(&mut definitions, kind.definition, patch_schema);
        }
        if kind.has_paths {
            definitions.insert(list_definition(kind), list_schema(flavor, kind));
        }
    }
    definitions.insert(
        PATCH.to_string(),
        json!({
            "description": "A patch body; its shape depends on the request's Content-Type.",
            "type": "object"
        }),
    );
    definitions
}

/// The `x-kubernetes-group-version-kind` extension value.
pub fn gvk(kind: &KindInfo, kind_name: &str) -> Value {
    json!([{ "group": kind.group, "version": kind.version, "kind": kind_name }])
}

/// Drops what schemars adds that upstream's documents do not carry: `nullable` on optional
/// fields and `default` values taken from `Default` impls (the server applies defaults, the
/// schema does not promise them). Descriptions lose the line breaks of the doc comments they
/// came from, so clients can wrap them.
fn strip_noise(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.remove("nullable");
            map.remove("default");
            map.remove("$schema");
            if let Some(Value::String(description)) = map.get_mut("description") {
                *description = unwrap_lines(description);
            }
            map.values_mut().for_each(strip_noise);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_noise),
        _ => {}
    }
}

/// Joins the lines of each paragraph; paragraphs stay apart.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Copies the strategic-merge tags of `patch_schema` onto the definition called `name` and,
/// through the fields' references, onto the definitions it leads to.
fn annotate_patch_metadata(
    definitions: &mut Map<String, Value>,
    name: &str,
    patch_schema: &TypeSchema,
) {
    for field in patch_schema.fields {
        let Some(property) = definitions
            .get_mut(name)
            .and_then(|d| d.pointer_mut(&format!("/properties/{}", field.name)))
        else {
            continue;
        };
        if let Some(strategy) = field.strategy {
            property["x-kubernetes-patch-strategy"] = json!(strategy.tag());
        }
        if let Some(key) = field.merge_key {
            property["x-kubernetes-patch-merge-key"] = json!(key);
        }
        let target = referenced_definition(property);
        if let (Some(nested), Some(target)) = (field.schema, target) {
            annotate_patch_metadata(definitions, &target, nested);
        }
    }
}

/// The definition a property points to, directly, through `allOf`, or as its list's items.
fn referenced_definition(property: &Value) -> Option<String> {
    let reference = property
        .get("$ref")
        .or_else(|| property.pointer("/allOf/0/$ref"))
        .or_else(|| property.pointer("/items/$ref"))
        .or_else(|| property.pointer("/items/allOf/0/$ref"))?;
    reference.as_str()?.rsplit('/').next().map(str::to_string)
}

fn list_schema(flavor: Flavor, kind: &KindInfo) -> Value {
    json!({
        "description": format!("A list of {} objects.", kind.kind),
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": { "type": "string", "description": "The versioned schema of this object." },
            "kind": { "type": "string", "description": "The REST resource this object represents." },
            "metadata": flavor.reference(LIST_META),
            "items": { "type": "array", "items": flavor.reference(kind.definition) }
        },
        "x-kubernetes-group-version-kind": gvk(kind, &format!("{}List", kind.kind))
    })
}
