//! [`PodInfo`]: a pod to schedule with what it asks for, computed once per attempt rather than
//! once per node.

use super::resources::{HostPort, Resources, host_ports, non_zero_requests, pod_requests};
use api_types::api::core::v1::Pod;
use api_types::labels::Selector;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The pod being scheduled and the facts every predicate and priority needs about it.
#[derive(Clone, Debug)]
pub struct PodInfo {
    pub pod: Arc<Pod>,
    pub requests: Resources,
    pub non_zero_requests: (i64, i64),
    pub host_ports: Vec<HostPort>,
    /// Selectors of the services, replication controllers and replica sets that select the
    /// pod (what `SelectorSpreadPriority` spreads by).
    pub spread_selectors: Vec<Selector>,
    /// The selector of the first service selecting the pod (what `CheckServiceAffinity` and
    /// `ServiceAntiAffinity` group by).
    pub service_selector: Option<BTreeMap<String, String>>,
}

impl PodInfo {
    /// `pod`, belonging to no service or controller.
    pub fn new(pod: Arc<Pod>) -> PodInfo {
        PodInfo {
            requests: pod_requests(&pod),
            non_zero_requests: non_zero_requests(&pod),
            host_ports: host_ports(&pod),
            spread_selectors: Vec::new(),
            service_selector: None,
            pod,
        }
    }

    /// The pod's namespace.
    pub fn namespace(&self) -> &str {
        &self.pod.metadata.namespace
    }

    /// Whether `other` (a pod placed somewhere) belongs with this pod: same namespace and
    /// selected by one of its spreading selectors.
    pub fn is_peer(&self, other: &Pod) -> bool {
        other.metadata.namespace == self.pod.metadata.namespace
            && other.metadata.deletion_timestamp.is_none()
            && self.spread_selectors.iter().any(|selector| selector.matches(&other.metadata.labels))
    }

    /// Whether `other` is in the same namespace and selected by the pod's first service.
    pub fn is_service_peer(&self, other: &Pod) -> bool {
        other.metadata.namespace == self.pod.metadata.namespace
            && self.service_selector.as_ref().is_some_and(|selector| {
                selector.iter().all(|(key, value)| other.metadata.labels.get(key) == Some(value))
            })
    }
}
