use super::*;

fn definition<'a>(document: &'a Value, container: &str, name: &str) -> &'a Value {
    document
        .get(container)
        .and_then(|c| if container == "components" { c.get("schemas") } else { Some(c) })
        .and_then(|definitions| definitions.get(name))
        .unwrap_or_else(|| panic!("definition {name} missing"))
}

#[test]
fn pod_spec_containers_merge_on_name_and_refer_to_container() {
    let document = v2_document();
    let pod_spec = definition(&document, "definitions", "io.k8s.api.core.v1.PodSpec");
    let containers = &pod_spec["properties"]["containers"];
    assert_eq!(containers["type"], "array");
    assert_eq!(containers["items"]["$ref"], "#/definitions/io.k8s.api.core.v1.Container");
    assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
    assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
    assert_eq!(pod_spec["required"], json!(["containers"]));
    let container = definition(&document, "definitions", "io.k8s.api.core.v1.Container");
    assert_eq!(container["properties"]["env"]["x-kubernetes-patch-merge-key"], "name");
    assert!(container["description"].is_string());
    assert!(container["properties"]["image"]["description"].is_string());
    assert_eq!(container["properties"]["image"]["type"], "string");
    let meta =
        definition(&document, "definitions", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assert_eq!(meta["properties"]["ownerReferences"]["x-kubernetes-patch-merge-key"], "uid");
}

#[test]
fn quantity_and_int_or_string_are_int_or_string() {
    let document = v2_document();
    for name in [
        "io.k8s.apimachinery.pkg.api.resource.Quantity",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    ] {
        let schema = definition(&document, "definitions", name);
        assert_eq!(schema["type"], "string", "{name}");
        assert_eq!(schema["x-kubernetes-int-or-string"], true, "{name}");
    }
    let time = definition(&document, "definitions", "io.k8s.apimachinery.pkg.apis.meta.v1.Time");
    assert_eq!(time["format"], "date-time");
}

#[test]
fn every_kind_has_a_definition_with_its_gvk_and_paths() {
    let document = v2_document();
    for kind in kinds() {
        let schema = definition(&document, "definitions", kind.definition);
        assert_eq!(
            schema["x-kubernetes-group-version-kind"],
            json!([{ "group": kind.group, "version": kind.version, "kind": kind.kind }])
        );
        if !kind.has_paths {
            continue;
        }
        let scope = if kind.namespaced { "/namespaces/{namespace}" } else { "" };
        let collection = format!("/{}{scope}/{}", kind.group_version_path(), kind.plural);
        let paths = &document["paths"];
        assert_eq!(paths[&collection]["post"]["x-kubernetes-action"], "post", "{collection}");
        assert_eq!(paths[&collection]["get"]["x-kubernetes-action"], "list");
        let item = format!("{collection}/{{name}}");
        assert_eq!(paths[&item]["patch"]["x-kubernetes-group-version-kind"]["kind"], kind.kind);
        definition(&document, "definitions", &format!("{}List", kind.definition));
    }
}

#[test]
fn every_reference_resolves() {
    fn check(value: &Value, document: &Value, prefix: &str) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let pointer = reference.strip_prefix('#').expect("local reference");
                    assert!(pointer.starts_with(prefix), "{reference}");
                    assert!(document.pointer(pointer).is_some(), "dangling {reference}");
                }
                map.values().for_each(|v| check(v, document, prefix));
            }
            Value::Array(items) => items.iter().for_each(|v| check(v, document, prefix)),
            _ => {}
        }
    }
    let v2 = v2_document();
    check(&v2, &v2, "/definitions/");
    for document in v3_documents().values() {
        check(document, document, "/components/schemas/");
    }
}

#[test]
fn v3_has_one_document_per_group_version() {
    let documents = v3_documents();
    let names: Vec<&str> = documents.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["api/v1", "apis/apps/v1", "apis/autoscaling/v1", "apis/coordination.k8s.io/v1"]
    );
    let core = &documents["api/v1"];
    assert_eq!(core["openapi"], "3.0.0");
    let pod = definition(core, "components", "io.k8s.api.core.v1.Pod");
    assert_eq!(
        pod["properties"]["spec"]["allOf"][0]["$ref"],
        "#/components/schemas/io.k8s.api.core.v1.PodSpec"
    );
    assert!(
        core["paths"]["/api/v1/namespaces/{namespace}/pods"]["post"]["requestBody"].is_object()
    );
}
