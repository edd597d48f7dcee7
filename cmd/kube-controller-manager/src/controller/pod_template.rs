//! Pods made from a controller's template, as upstream makes them: the template's labels,
//! annotations, finalizers and spec, a generated name prefixed by the controller's name, and the
//! controller's reference.

use super::owner::controller_ref;
use api_types::api::core::v1::{Pod, PodTemplateSpec};
use api_types::meta::v1::ObjectMeta;
use api_types::resource::Resource;

/// The longest `generateName` prefix that leaves room for the random suffix within the 63
/// characters a pod name may have (upstream keeps the prefix to 58).
const MAX_GENERATED_PREFIX: usize = 58;

/// The pod `owner` creates from `template` in `owner`'s namespace.
pub fn pod_from_template<O: Resource>(owner: &O, template: &PodTemplateSpec) -> Pod {
    let owner_meta = owner.metadata();
    let mut pod = Pod {
        metadata: ObjectMeta {
            namespace: owner_meta.namespace.clone(),
            generate_name: generated_prefix(&owner_meta.name),
            labels: template.metadata.labels.clone(),
            annotations: template.metadata.annotations.clone(),
            finalizers: template.metadata.finalizers.clone(),
            owner_references: vec![controller_ref(owner)],
            ..Default::default()
        },
        spec: template.spec.clone(),
        ..Default::default()
    };
    pod.set_type_meta();
    pod
}

/// `<name>-`, shortened so the generated name stays a valid pod name.
fn generated_prefix(name: &str) -> String {
    let mut prefix = format!("{name}-");
    if prefix.len() > MAX_GENERATED_PREFIX {
        let mut cut = MAX_GENERATED_PREFIX;
        while !prefix.is_char_boundary(cut) {
            cut -= 1;
        }
        prefix.truncate(cut);
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::api::core::v1::ReplicationController;
    use serde_json::json;

    #[test]
    fn pods_carry_the_template_and_the_owner() {
        let rc: ReplicationController = serde_json::from_value(json!({
            "metadata": {"name": "frontend", "namespace": "prod", "uid": "rc-uid",
                         "labels": {"owner-only": "x"}},
            "spec": {"template": {
                "metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}},
                "spec": {"containers": [{"name": "php", "image": "frontend:v1"}]}}}
        }))
        .unwrap();
        let pod = pod_from_template(&rc, rc.spec.template.as_ref().unwrap());
        let value = serde_json::to_value(&pod).unwrap();
        assert_eq!(value["apiVersion"], "v1");
        assert_eq!(value["kind"], "Pod");
        assert_eq!(value["metadata"]["generateName"], "frontend-");
        assert_eq!(value["metadata"]["namespace"], "prod");
        assert_eq!(value["metadata"]["labels"], json!({"app": "web"}));
        assert_eq!(value["metadata"]["annotations"], json!({"a": "b"}));
        assert_eq!(value["metadata"]["ownerReferences"][0]["uid"], "rc-uid");
        assert_eq!(value["spec"]["containers"][0]["image"], "frontend:v1");
    }

    #[test]
    fn long_names_leave_room_for_the_suffix() {
        let long = "a".repeat(70);
        assert_eq!(generated_prefix(&long).len(), MAX_GENERATED_PREFIX);
        assert_eq!(generated_prefix("web"), "web-");
    }
}
