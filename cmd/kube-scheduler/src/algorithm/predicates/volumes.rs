//! `NoDiskConflict` (book 6.4.2): a network disk that can be attached read-write to one machine
//! only may not be used by two pods on one node.

use super::{Predicate, Prepared, Reason, fail};
use crate::algorithm::{NodeInfo, PodInfo};
use api_types::api::core::v1::Volume;

/// No volume of the pod may conflict with a volume of a pod already on the node.
pub struct NoDiskConflict;

impl Predicate for NoDiskConflict {
    fn name(&self) -> &str {
        "NoDiskConflict"
    }

    fn check(&self, pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let volumes = &pod.pod.spec.volumes;
        if volumes.is_empty() {
            return Ok(());
        }
        let conflict = node.pods().iter().any(|other| {
            other
                .spec
                .volumes
                .iter()
                .any(|theirs| volumes.iter().any(|ours| conflicts(ours, theirs)))
        });
        if conflict { fail("node(s) had no available disk") } else { Ok(()) }
    }
}

/// The rules: the same GCE PD unless both mount it read-only; the same AWS EBS volume always;
/// the same RBD image (a shared monitor, same pool and image) unless both are read-only; the
/// same iSCSI IQN unless both are read-only.
pub fn conflicts(ours: &Volume, theirs: &Volume) -> bool {
    let (ours, theirs) = (&ours.volume_source, &theirs.volume_source);
    if let (Some(a), Some(b)) = (&ours.gce_persistent_disk, &theirs.gce_persistent_disk) {
        return a.pd_name == b.pd_name && !(a.read_only && b.read_only);
    }
    if let (Some(a), Some(b)) = (&ours.aws_elastic_block_store, &theirs.aws_elastic_block_store) {
        return a.volume_id == b.volume_id;
    }
    if let (Some(a), Some(b)) = (&ours.rbd, &theirs.rbd) {
        let shared_monitor = a.monitors.iter().any(|monitor| b.monitors.contains(monitor));
        return shared_monitor
            && a.pool == b.pool
            && a.image == b.image
            && !(a.read_only && b.read_only);
    }
    if let (Some(a), Some(b)) = (&ours.iscsi, &theirs.iscsi) {
        return a.iqn == b.iqn && !(a.read_only && b.read_only);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn volume(source: serde_json::Value) -> Volume {
        let mut value = json!({"name": "v"});
        value.as_object_mut().unwrap().extend(source.as_object().unwrap().clone());
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_books_disk_rules() {
        let pd = |name: &str, ro: bool| {
            volume(json!({"gcePersistentDisk": {"pdName": name, "readOnly": ro}}))
        };
        assert!(conflicts(&pd("a", false), &pd("a", true)));
        assert!(!conflicts(&pd("a", true), &pd("a", true)));
        assert!(!conflicts(&pd("a", false), &pd("b", false)));
        let ebs = |id: &str, ro: bool| {
            volume(json!({"awsElasticBlockStore": {"volumeID": id, "readOnly": ro}}))
        };
        assert!(conflicts(&ebs("vol-1", true), &ebs("vol-1", true)));
        assert!(!conflicts(&ebs("vol-1", false), &ebs("vol-2", false)));
        let rbd = |mons: serde_json::Value, image: &str, ro: bool| {
            volume(
                json!({"rbd": {"monitors": mons, "pool": "rbd", "image": image, "readOnly": ro}}),
            )
        };
        assert!(conflicts(
            &rbd(json!(["m1", "m2"]), "img", false),
            &rbd(json!(["m2"]), "img", true)
        ));
        assert!(!conflicts(&rbd(json!(["m1"]), "img", false), &rbd(json!(["m3"]), "img", false)));
        assert!(!conflicts(&rbd(json!(["m1"]), "img", true), &rbd(json!(["m1"]), "img", true)));
        let iscsi = |iqn: &str, ro: bool| {
            volume(
                json!({"iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": iqn, "lun": 0, "readOnly": ro}}),
            )
        };
        assert!(conflicts(&iscsi("iqn.a", false), &iscsi("iqn.a", true)));
        assert!(!conflicts(&iscsi("iqn.a", true), &iscsi("iqn.a", true)));
        assert!(!conflicts(&pd("a", false), &ebs("a", false)));
    }
}
