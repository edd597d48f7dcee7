//! [`AllocatingServices`]: the Service resource with cluster IPs and node ports handed out from
//! the persisted ranges on create and update, and given back on delete.

use super::bitmap::{AllocationError, PersistedBitmap};
use super::ranges::{IpRange, port_at, port_offset};
use crate::options::PortRange;
use crate::registry::{ResourceInfo, RestResource, WatchEvents};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Status, Table,
    UpdateOptions,
};
use api_types::validation::{ErrorList, FieldError, FieldPath};
use async_trait::async_trait;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::Arc;

/// The two service ranges and their bitmaps.
pub struct ServiceRanges {
    pub ips: IpRange,
    pub ip_bitmap: PersistedBitmap,
    pub ports: PortRange,
    pub port_bitmap: PersistedBitmap,
}

/// What one service holds in the ranges, as offsets.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Held {
    ip: Option<u64>,
    ports: BTreeSet<u64>,
}

impl Held {
    /// What `self` holds that `other` does not.
    fn minus(&self, other: &Held) -> Held {
        Held {
            ip: self.ip.filter(|ip| other.ip != Some(*ip)),
            ports: self.ports.difference(&other.ports).copied().collect(),
        }
    }
}

fn service_type(service: &Value) -> &str {
    match service["spec"]["type"].as_str() {
        Some("") | None => "ClusterIP",
        Some(kind) => kind,
    }
}

fn requested_cluster_ip(service: &Value) -> &str {
    match service["spec"]["clusterIP"].as_str().filter(|ip| !ip.is_empty()) {
        Some(ip) => ip,
        None => service["spec"]["clusterIPs"][0].as_str().unwrap_or_default(),
    }
}

fn needs_cluster_ip(service: &Value) -> bool {
    service_type(service) != "ExternalName" && requested_cluster_ip(service) != "None"
}

fn needs_node_ports(service: &Value) -> bool {
    matches!(service_type(service), "NodePort" | "LoadBalancer")
}

/// Upstream gives a LoadBalancer with `externalTrafficPolicy: Local` a node port for health
/// checks, from the node-port range.
fn needs_health_check_node_port(service: &Value) -> bool {
    service_type(service) == "LoadBalancer" && service["spec"]["externalTrafficPolicy"] == "Local"
}

fn ports(service: &Value) -> &[Value] {
    service["spec"]["ports"].as_array().map(Vec::as_slice).unwrap_or_default()
}

impl ServiceRanges {
    /// What a stored service holds.
    fn held(&self, service: &Value) -> Held {
        let ip = needs_cluster_ip(service)
            .then(|| requested_cluster_ip(service).parse::<IpAddr>().ok())
            .flatten()
            .and_then(|ip| self.ips.offset(ip));
        let health_check = needs_health_check_node_port(service)
            .then(|| service["spec"]["healthCheckNodePort"].as_i64())
            .flatten();
        let ports = ports(service)
            .iter()
            .filter_map(|port| port["nodePort"].as_i64())
            .chain(health_check)
            .filter_map(|port| port_offset(self.ports, port))
            .collect();
        Held { ip, ports }
    }

    async fn release(&self, held: &Held) {
        if let Some(ip) = held.ip {
            log_failure(self.ip_bitmap.release(ip).await);
        }
        for &port in &held.ports {
            log_failure(self.port_bitmap.release(port).await);
        }
    }

    /// Rebuilds both bitmaps from every stored service: the repair pass at startup, which also
    /// reclaims whatever a crash between a write and its release left behind.
    pub async fn repair(&self, services: &dyn RestResource) -> Result<(), Status> {
        let list = services.list(None, &ListOptions::default()).await?;
        let mut ips = BTreeSet::new();
        let mut node_ports = BTreeSet::new();
        for service in list["items"].as_array().into_iter().flatten() {
            let held = self.held(service);
            ips.extend(held.ip);
            node_ports.extend(held.ports);
        }
        self.ip_bitmap.replace(ips).await.map_err(internal)?;
        self.port_bitmap.replace(node_ports).await.map_err(internal)?;
        Ok(())
    }

    /// Fills in and takes what `service` needs from the ranges, given the stored version on an
    /// update. Values the stored version already holds are kept without a new allocation; what
    /// this call takes is added to `taken`, so the caller can give it back if the write fails.
    async fn allocate(
        &self,
        service: &mut Value,
        old: Option<&Value>,
        taken: &mut Held,
    ) -> Result<(), Status> {
        let name = service["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let old_held = old.map(|old| self.held(old)).unwrap_or_default();
        let mut errors = ErrorList::new();
        if needs_cluster_ip(service) {
            self.allocate_ip(service, &old_held, taken, &mut errors).await?;
        }
        if needs_node_ports(service) {
            self.allocate_node_ports(service, old, &old_held, taken, &mut errors).await?;
        }
        if errors.is_empty() { Ok(()) } else { Err(errors.to_status("", "Service", &name)) }
    }

    async fn allocate_ip(
        &self,
        service: &mut Value,
        old_held: &Held,
        taken: &mut Held,
        errors: &mut ErrorList,
    ) -> Result<(), Status> {
        let requested = requested_cluster_ip(service).to_string();
        if requested.is_empty() {
            if old_held.ip.is_some() {
                return Ok(());
            }
            let offset = self.ip_bitmap.allocate_next(&[0]).await.map_err(|error| {
                Status::internal_error(format!("failed to allocate a serviceIP: {error}"))
            })?;
            taken.ip = Some(offset);
            let ip = self.ips.address(offset).to_string();
            service["spec"]["clusterIP"] = json!(ip);
            service["spec"]["clusterIPs"] = json!([ip]);
            return Ok(());
        }
        // An unparsable address is validation's to reject, with its own message.
        let Ok(address) = requested.parse::<IpAddr>() else { return Ok(()) };
        let offset = self.ips.offset(address);
        if offset.is_some() && offset == old_held.ip {
            return Ok(());
        }
        let problem = match offset {
            None => format!(
                "the provided IP ({address}) is not in the valid range. The range of valid IPs is {}",
                self.ips.cidr_text()
            ),
            Some(offset) => match self.ip_bitmap.allocate(offset).await {
                Ok(()) => {
                    taken.ip = Some(offset);
                    return Ok(());
                }
                Err(AllocationError::Taken) => "provided IP is already allocated".to_string(),
                Err(error) => return Err(internal(error)),
            },
        };
        let listed = match service["spec"]["clusterIPs"].as_array() {
            Some(ips) if !ips.is_empty() => Value::Array(ips.clone()),
            _ => json!([requested]),
        };
        errors.push(FieldError::invalid(
            &FieldPath::new("spec").child("clusterIPs"),
            listed,
            format!("failed to allocate IP {requested}: {problem}"),
        ));
        Ok(())
    }

    async fn allocate_node_ports(
        &self,
        service: &mut Value,
        old: Option<&Value>,
        old_held: &Held,
        taken: &mut Held,
        errors: &mut ErrorList,
    ) -> Result<(), Status> {
        let old_node_ports = old.filter(|old| needs_node_ports(old));
        for index in 0..ports(service).len() {
            let port = &service["spec"]["ports"][index];
            // A resubmitted manifest keeps the node port of the same-named port.
            let kept = old_node_ports.and_then(|old| {
                ports(old)
                    .iter()
                    .find(|old_port| old_port["name"] == port["name"])
                    .and_then(|old_port| old_port["nodePort"].as_i64())
            });
            let requested = port["nodePort"].as_i64().unwrap_or(0);
            let path = FieldPath::new("spec").child("ports").index(index).child("nodePort");
            let request = PortRequest { requested, kept, path: &path };
            if let Some(chosen) = self.allocate_port(request, old_held, taken, errors).await? {
                service["spec"]["ports"][index]["nodePort"] = json!(chosen);
            }
        }
        if needs_health_check_node_port(service) {
            let kept = old
                .filter(|old| needs_health_check_node_port(old))
                .and_then(|old| old["spec"]["healthCheckNodePort"].as_i64());
            let requested = service["spec"]["healthCheckNodePort"].as_i64().unwrap_or(0);
            let path = FieldPath::new("spec").child("healthCheckNodePort");
            let request = PortRequest { requested, kept, path: &path };
            if let Some(chosen) = self.allocate_port(request, old_held, taken, errors).await? {
                service["spec"]["healthCheckNodePort"] = json!(chosen);
            }
        }
        Ok(())
    }

    /// Takes one node port: the requested one, else the one the stored service kept, else a
    /// free one. Returns the port to write into the object; a requested port that cannot be had
    /// is reported in `errors`.
    async fn allocate_port(
        &self,
        request: PortRequest<'_>,
        old_held: &Held,
        taken: &mut Held,
        errors: &mut ErrorList,
    ) -> Result<Option<i64>, Status> {
        let PortRequest { requested, kept, path } = request;
        if requested == 0 {
            if let Some(kept) = kept.filter(|kept| *kept != 0) {
                return Ok(Some(kept));
            }
            let offset = self.port_bitmap.allocate_next(&[]).await.map_err(|error| {
                Status::internal_error(format!("failed to allocate a nodePort: {error}"))
            })?;
            taken.ports.insert(offset);
            return Ok(Some(port_at(self.ports, offset)));
        }
        let offset = port_offset(self.ports, requested);
        // The same node port may serve several protocols of one service.
        if offset
            .is_some_and(|offset| old_held.ports.contains(&offset) || taken.ports.contains(&offset))
        {
            return Ok(None);
        }
        let problem = match offset {
            None => format!(
                "provided port is not in the valid range. The range of valid ports is {}",
                self.ports
            ),
            Some(offset) => match self.port_bitmap.allocate(offset).await {
                Ok(()) => {
                    taken.ports.insert(offset);
                    return Ok(None);
                }
                Err(AllocationError::Taken) => "provided port is already allocated".to_string(),
                Err(error) => return Err(internal(error)),
            },
        };
        errors.push(FieldError::invalid(path, requested, problem));
        Ok(None)
    }
}

/// One node port a service asks for.
struct PortRequest<'a> {
    /// The port in the request; 0 asks for any.
    requested: i64,
    /// The port the stored service holds for the same purpose, kept when none is requested.
    kept: Option<i64>,
    /// Where the port goes, for the 422.
    path: &'a FieldPath,
}

fn internal(error: AllocationError) -> Status {
    Status::internal_error(error)
}

fn log_failure(result: Result<(), AllocationError>) {
    if let Err(error) = result {
        tracing::warn!(%error, "releasing a service allocation failed; the next repair pass reclaims it");
    }
}

fn is_deleted_now(object: &Value) -> bool {
    object["metadata"]["deletionTimestamp"].is_null()
}

/// The Service resource, delegating every verb to the generic store and keeping the IP and
/// node-port bitmaps in step with what the stored services hold. Dry runs allocate nothing.
///
/// A service that finalizers keep after a delete keeps its allocations until the next repair
/// pass (at startup), which rebuilds the bitmaps from the services then stored.
pub struct AllocatingServices {
    inner: Arc<dyn RestResource>,
    ranges: Arc<ServiceRanges>,
}

impl AllocatingServices {
    /// Wraps the generic Service store `inner`.
    pub fn new(inner: Arc<dyn RestResource>, ranges: Arc<ServiceRanges>) -> Self {
        AllocatingServices { inner, ranges }
    }

    /// After a successful write that replaced `old` with `new`: gives back what only `old` held.
    async fn release_replaced(&self, old: &Value, new: &Value) {
        let freed = self.ranges.held(old).minus(&self.ranges.held(new));
        self.ranges.release(&freed).await;
    }
}

#[async_trait]
impl RestResource for AllocatingServices {
    fn info(&self) -> &ResourceInfo {
        self.inner.info()
    }

    async fn create(
        &self,
        namespace: Option<&str>,
        mut body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        if !options.dry_run.is_empty() || !body.is_object() {
            return self.inner.create(namespace, body, options).await;
        }
        let mut taken = Held::default();
        if let Err(status) = self.ranges.allocate(&mut body, None, &mut taken).await {
            self.ranges.release(&taken).await;
            return Err(status);
        }
        let created = self.inner.create(namespace, body, options).await;
        if created.is_err() {
            self.ranges.release(&taken).await;
        }
        created
    }

    async fn get(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        options: &GetOptions,
    ) -> Result<Value, Status> {
        self.inner.get(namespace, name, subresource, options).await
    }

    async fn list(&self, namespace: Option<&str>, options: &ListOptions) -> Result<Value, Status> {
        self.inner.list(namespace, options).await
    }

    async fn watch(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<WatchEvents, Status> {
        self.inner.watch(namespace, options).await
    }

    async fn update(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        mut body: Value,
        options: &UpdateOptions,
    ) -> Result<(Value, bool), Status> {
        if subresource.is_some() || !options.dry_run.is_empty() || !body.is_object() {
            return self.inner.update(namespace, name, subresource, body, options).await;
        }
        let old = self.inner.get(namespace, name, None, &GetOptions::default()).await?;
        let mut taken = Held::default();
        if let Err(status) = self.ranges.allocate(&mut body, Some(&old), &mut taken).await {
            self.ranges.release(&taken).await;
            return Err(status);
        }
        match self.inner.update(namespace, name, None, body, options).await {
            Ok((updated, created)) => {
                self.release_replaced(&old, &updated).await;
                Ok((updated, created))
            }
            Err(status) => {
                self.ranges.release(&taken).await;
                Err(status)
            }
        }
    }

    /// The patch is applied first; what the patched service then lacks (a cluster IP after a
    /// change from ExternalName, node ports after a change to NodePort) is allocated and written
    /// in a second update. A requested value that cannot be had puts the old spec back and
    /// answers 422.
    async fn patch(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        patch_type: PatchType,
        patch: Value,
        options: &PatchOptions,
    ) -> Result<Value, Status> {
        if subresource.is_some() || !options.dry_run.is_empty() {
            return self
                .inner
                .patch(namespace, name, subresource, patch_type, patch, options)
                .await;
        }
        let old = self.inner.get(namespace, name, None, &GetOptions::default()).await?;
        let patched = self.inner.patch(namespace, name, None, patch_type, patch, options).await?;
        let mut completed = patched.clone();
        let mut taken = Held::default();
        let update_options = UpdateOptions::default();
        if let Err(status) = self.ranges.allocate(&mut completed, Some(&old), &mut taken).await {
            self.ranges.release(&taken).await;
            let mut restored = old.clone();
            restored["metadata"]["resourceVersion"] =
                patched["metadata"]["resourceVersion"].clone();
            if let Err(error) =
                self.inner.update(namespace, name, None, restored, &update_options).await
            {
                tracing::warn!(message = %error.message, "restoring a service after a failed allocation");
            }
            return Err(status);
        }
        let stored = if completed == patched {
            patched
        } else {
            match self.inner.update(namespace, name, None, completed, &update_options).await {
                Ok((stored, _)) => stored,
                Err(status) => {
                    self.ranges.release(&taken).await;
                    return Err(status);
                }
            }
        };
        self.release_replaced(&old, &stored).await;
        Ok(stored)
    }

    async fn delete(
        &self,
        namespace: Option<&str>,
        name: &str,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        let deleted = self.inner.delete(namespace, name, options).await?;
        if options.dry_run.is_empty() && is_deleted_now(&deleted) {
            self.ranges.release(&self.ranges.held(&deleted)).await;
        }
        Ok(deleted)
    }

    async fn delete_collection(
        &self,
        namespace: Option<&str>,
        list_options: &ListOptions,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        let deleted = self.inner.delete_collection(namespace, list_options, options).await?;
        if options.dry_run.is_empty() {
            for service in deleted["items"].as_array().into_iter().flatten() {
                if is_deleted_now(service) {
                    self.ranges.release(&self.ranges.held(service)).await;
                }
            }
        }
        Ok(deleted)
    }

    fn table(&self, objects: &[Value], list_meta: Option<Value>) -> Result<Table, Status> {
        self.inner.table(objects, list_meta)
    }
}
