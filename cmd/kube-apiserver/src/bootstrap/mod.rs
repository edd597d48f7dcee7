//! The objects every cluster has from the start: the system namespaces, and the `kubernetes`
//! Service with its Endpoints pointing at this apiserver. They are written through the registry
//! (so defaults, validation, admission and allocation apply) and kept true by a loop, as
//! upstream's bootstrap controller does: deleted or edited, they come back.

use crate::admission::SYSTEM_NAMESPACES;
use crate::registry::{ResourceTable, RestResource};
use api_types::meta::v1::{CreateOptions, GetOptions, Status, StatusReason, UpdateOptions};
use component_base::ShutdownToken;
use serde_json::{Value, json};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// How often the loop checks the objects, as upstream's controller.
pub const RECONCILE_INTERVAL: Duration = Duration::from_secs(10);

/// The namespace and name of the service that fronts the apiserver.
const SERVICE_NAMESPACE: &str = "default";
const SERVICE_NAME: &str = "kubernetes";

/// What the bootstrap objects must say, and where they are written.
pub struct Bootstrap {
    namespaces: Arc<dyn RestResource>,
    services: Arc<dyn RestResource>,
    endpoints: Arc<dyn RestResource>,
    /// The `kubernetes` service's cluster IP (the first address of the service range).
    pub service_ip: IpAddr,
    /// The address clients reach this apiserver at (the Endpoints address).
    pub endpoint_ip: IpAddr,
    /// The port clients reach the API on: the secure port, or the plain one when the secure
    /// port is off (the service's target port and the Endpoints port).
    pub secure_port: u16,
}

impl Bootstrap {
    /// Bootstrap objects written through `resources` (the assembled, decorated table).
    pub fn new(
        resources: &ResourceTable,
        service_ip: IpAddr,
        endpoint_ip: IpAddr,
        secure_port: u16,
    ) -> Option<Self> {
        Some(Bootstrap {
            namespaces: Arc::clone(resources.get("", "v1", "namespaces")?),
            services: Arc::clone(resources.get("", "v1", "services")?),
            endpoints: Arc::clone(resources.get("", "v1", "endpoints")?),
            service_ip,
            endpoint_ip,
            secure_port,
        })
    }

    /// Creates what is missing and repairs what was edited; safe to run any number of times.
    /// Every object is attempted even when an earlier one fails; the first failure is returned.
    pub async fn reconcile(&self) -> Result<(), Status> {
        let mut results = Vec::new();
        for namespace in SYSTEM_NAMESPACES {
            results.push(self.ensure_namespace(namespace).await);
        }
        results.push(self.ensure_service().await);
        results.push(self.ensure_endpoints().await);
        results.into_iter().collect()
    }

    /// Runs [`Bootstrap::reconcile`] every `interval` until `shutdown`, logging failures.
    pub fn spawn(self, interval: Duration, shutdown: ShutdownToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let stopped = shutdown.wait();
            tokio::pin!(stopped);
            loop {
                tokio::select! {
                    _ = &mut stopped => return,
                    _ = tokio::time::sleep(interval) => {}
                }
                if let Err(status) = self.reconcile().await {
                    tracing::warn!(message = %status.message, "reconciling the bootstrap objects");
                }
            }
        })
    }

    async fn ensure_namespace(&self, name: &str) -> Result<(), Status> {
        let body = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
        ensure(&*self.namespaces, None, name, body, |_, _| None).await
    }

    fn service_ports(&self) -> Value {
        json!([{
            "name": "https",
            "port": 443,
            "protocol": "TCP",
            "targetPort": self.secure_port,
        }])
    }

    fn service_labels() -> Value {
        json!({"component": "apiserver", "provider": "kubernetes"})
    }

    async fn ensure_service(&self) -> Result<(), Status> {
        let body = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": SERVICE_NAME, "namespace": SERVICE_NAMESPACE,
                         "labels": Self::service_labels()},
            "spec": {
                "type": "ClusterIP",
                "clusterIP": self.service_ip.to_string(),
                "ports": self.service_ports(),
                "sessionAffinity": "None",
            },
        });
        let ports = self.service_ports();
        let repair = |stored: &Value, _: &Value| {
            let labels = &stored["metadata"]["labels"];
            let labels_ok = ["component", "provider"]
                .iter()
                .all(|key| labels[key] == Self::service_labels()[key]);
            let ports_ok = stored["spec"]["ports"].as_array().is_some_and(|stored_ports| {
                stored_ports.len() == 1
                    && ["name", "port", "protocol", "targetPort"]
                        .iter()
                        .all(|key| stored_ports[0][key] == ports[0][key])
            });
            let type_ok = stored["spec"]["type"] == "ClusterIP";
            if labels_ok && ports_ok && type_ok {
                return None;
            }
            let mut fixed = stored.clone();
            for (key, value) in Self::service_labels().as_object().into_iter().flatten() {
                fixed["metadata"]["labels"][key] = value.clone();
            }
            fixed["spec"]["ports"] = ports.clone();
            fixed["spec"]["type"] = json!("ClusterIP");
            Some(fixed)
        };
        ensure(&*self.services, Some(SERVICE_NAMESPACE), SERVICE_NAME, body, repair).await
    }

    async fn ensure_endpoints(&self) -> Result<(), Status> {
        let subsets = json!([{
            "addresses": [{"ip": self.endpoint_ip.to_string()}],
            "ports": [{"name": "https", "port": self.secure_port, "protocol": "TCP"}],
        }]);
        let body = json!({
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": SERVICE_NAME, "namespace": SERVICE_NAMESPACE},
            "subsets": subsets,
        });
        let repair = |stored: &Value, wanted: &Value| {
            if stored["subsets"] == wanted["subsets"] {
                return None;
            }
            let mut fixed = stored.clone();
            fixed["subsets"] = wanted["subsets"].clone();
            Some(fixed)
        };
        ensure(&*self.endpoints, Some(SERVICE_NAMESPACE), SERVICE_NAME, body, repair).await
    }
}

/// Creates `wanted` when `name` is missing; otherwise writes what `repair` makes of the stored
/// object, when it says something must change. A concurrent writer winning a race is not an
/// error: the next pass looks again.
async fn ensure(
    resource: &dyn RestResource,
    namespace: Option<&str>,
    name: &str,
    wanted: Value,
    repair: impl Fn(&Value, &Value) -> Option<Value>,
) -> Result<(), Status> {
    match resource.get(namespace, name, None, &GetOptions::default()).await {
        Ok(stored) => {
            let Some(fixed) = repair(&stored, &wanted) else { return Ok(()) };
            tracing::info!(name, "repairing a bootstrap object");
            match resource.update(namespace, name, None, fixed, &UpdateOptions::default()).await {
                Err(status) if status.is(StatusReason::Conflict) => Ok(()),
                other => other.map(|_| ()),
            }
        }
        Err(status) if status.is(StatusReason::NotFound) => {
            match resource.create(namespace, wanted, &CreateOptions::default()).await {
                Err(status) if status.is(StatusReason::AlreadyExists) => Ok(()),
                other => other.map(|_| ()),
            }
        }
        Err(status) => Err(status),
    }
}

/// The address the `kubernetes` Endpoints advertise: `--advertise-address`, else a
/// `--bind-address` other hosts can reach, else (as upstream, for an unspecified or loopback bind
/// address) the address this host reaches other hosts from: the interface of the default route;
/// no packet is sent. With no such interface, loopback, which Endpoints validation refuses: the
/// bootstrap loop then logs the failure on every pass, as upstream's reconciler does.
pub fn endpoint_address(advertise: Option<IpAddr>, bind: IpAddr) -> IpAddr {
    if let Some(address) = advertise {
        return address;
    }
    if !bind.is_unspecified() && !bind.is_loopback() {
        return bind;
    }
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("10.255.255.255:1")?;
            socket.local_addr()
        })
        .map(|address| address.ip())
        .ok()
        .filter(|address| !address.is_unspecified())
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_address_prefers_the_advertised_then_a_reachable_bind_address() {
        let advertised: IpAddr = "192.168.1.5".parse().unwrap();
        let bind: IpAddr = "10.1.2.3".parse().unwrap();
        assert_eq!(endpoint_address(Some(advertised), bind), advertised);
        assert_eq!(endpoint_address(None, bind), bind);
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let chosen = endpoint_address(None, loopback);
        assert!(!chosen.is_unspecified());
    }
}
