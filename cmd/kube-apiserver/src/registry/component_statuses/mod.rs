//! `componentstatuses` (`cs`): the health of the control plane, computed on every read by
//! probing each component, and served read-only (get and list), as upstream serves it. The
//! components are the scheduler and the controller manager at their `/healthz` (the book's
//! ports, 10251 and 10252, on loopback) and the storage: each `--etcd-servers` member as
//! `etcd-<i>` through etcd's `/health`, or, for the embedded store, one entry named `storage`
//! whose probe is a read of the store.

mod probe;
mod tls;

use super::{ResourceInfo, RestResource, Strategy, not_served};
use crate::storage::{BackendKind, Storage, StorageFlags};
use api_types::List;
use api_types::api::core::v1::{ComponentCondition, ComponentStatus};
use api_types::meta::v1::{
    GetOptions, ListMeta, ListOptions, PartialObjectMetadata, Status, Table, TableRow,
};
use async_trait::async_trait;
use probe::Verdict;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// The scheduler's health endpoint at the port the book's clusters use.
pub const SCHEDULER_HEALTHZ: &str = "http://127.0.0.1:10251/healthz";
/// The controller manager's health endpoint at the port the book's clusters use.
pub const CONTROLLER_MANAGER_HEALTHZ: &str = "http://127.0.0.1:10252/healthz";
/// The name of the embedded store's entry: it is not etcd, so it does not pretend to be.
pub const EMBEDDED_STORAGE_NAME: &str = "storage";

/// How long one probe may take (upstream's).
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// One component whose health `kubectl get cs` shows.
#[derive(Clone)]
pub struct Component {
    /// The ComponentStatus name (`scheduler`, `etcd-0`).
    pub name: String,
    pub check: HealthCheck,
}

/// How a component's health is read.
#[derive(Clone)]
pub enum HealthCheck {
    /// `GET` of a health URL: healthy on a 2xx answer, whose body is the message.
    Http { url: String },
    /// `GET` of an etcd member's `/health`: healthy when its JSON says `"health":"true"`.
    /// `tls` is required for `https` members.
    Etcd { url: String, tls: Option<Arc<rustls::ClientConfig>> },
    /// A read of the store itself (the embedded store has no health endpoint).
    Storage(Arc<dyn Storage>),
}

/// The `componentstatuses` resource.
pub struct ComponentStatuses {
    info: ResourceInfo,
    components: Vec<Component>,
}

impl ComponentStatuses {
    /// Serves the health of `components`, listed in this order.
    pub fn new(components: Vec<Component>) -> Self {
        ComponentStatuses { info: ResourceInfo::of::<ComponentStatus>(), components }
    }

    /// The control plane the flags describe: the scheduler and the controller manager at the
    /// book's ports, then the storage `flags` select (read through `storage` when embedded).
    pub fn for_control_plane(flags: &StorageFlags, storage: Arc<dyn Storage>) -> Self {
        let mut components = vec![
            Component {
                name: "scheduler".into(),
                check: HealthCheck::Http { url: SCHEDULER_HEALTHZ.into() },
            },
            Component {
                name: "controller-manager".into(),
                check: HealthCheck::Http { url: CONTROLLER_MANAGER_HEALTHZ.into() },
            },
        ];
        match flags.backend() {
            Ok(BackendKind::Etcd3) => {
                let tls = match tls::etcd_client_config(flags) {
                    Ok(config) => config,
                    Err(error) => {
                        tracing::warn!(%error, "componentstatuses cannot probe https etcd members");
                        None
                    }
                };
                components.extend(flags.etcd_servers.iter().enumerate().map(|(index, server)| {
                    let url = format!("{}/health", server.trim_end_matches('/'));
                    Component {
                        name: format!("etcd-{index}"),
                        check: HealthCheck::Etcd { url, tls: tls.clone() },
                    }
                }));
            }
            _ => components.push(Component {
                name: EMBEDDED_STORAGE_NAME.into(),
                check: HealthCheck::Storage(storage),
            }),
        }
        ComponentStatuses::new(components)
    }

    /// The status of every component, probed concurrently.
    async fn statuses(&self) -> Vec<ComponentStatus> {
        let probes = self.components.iter().map(|component| {
            let component = component.clone();
            tokio::spawn(async move { status_of(&component).await })
        });
        let mut statuses = Vec::with_capacity(self.components.len());
        for (probe, component) in probes.collect::<Vec<_>>().into_iter().zip(&self.components) {
            let status = probe.await.unwrap_or_else(|error| {
                let condition = condition("Unknown", "", &error.to_string());
                component_status(&component.name, condition)
            });
            statuses.push(status);
        }
        statuses
    }
}

/// Probes one component.
async fn status_of(component: &Component) -> ComponentStatus {
    let condition = match &component.check {
        HealthCheck::Http { url } => verdict_condition(probe::get(url, None, PROBE_TIMEOUT).await),
        HealthCheck::Etcd { url, tls } => {
            match probe::get(url, tls.as_ref(), PROBE_TIMEOUT).await {
                Verdict::Success(body) => match etcd_health(&body) {
                    Ok(()) => condition("True", &body, ""),
                    Err(error) => condition("False", &body, &error),
                },
                other => verdict_condition(other),
            }
        }
        HealthCheck::Storage(storage) => match storage.current_revision().await {
            Ok(_) => condition("True", "ok", ""),
            Err(error) => condition("False", "", &error.to_string()),
        },
    };
    component_status(&component.name, condition)
}

/// The `Healthy` condition of a probe's verdict: upstream puts the prober's text in the
/// message, for failures too, and leaves the error for validation failures.
fn verdict_condition(verdict: Verdict) -> ComponentCondition {
    match verdict {
        Verdict::Success(body) => condition("True", &body, ""),
        Verdict::Warning(message) => condition("Unknown", &message, ""),
        Verdict::Failure(message) => condition("False", &message, ""),
    }
}

/// Upstream's check of an etcd `/health` answer.
fn etcd_health(body: &str) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Health {
        #[serde(default)]
        health: String,
    }
    let health: Health = serde_json::from_str(body).map_err(|error| error.to_string())?;
    if health.health != "true" {
        return Err(format!("Unhealthy status: {}", health.health));
    }
    Ok(())
}

fn condition(status: &str, message: &str, error: &str) -> ComponentCondition {
    ComponentCondition {
        type_: "Healthy".into(),
        status: status.into(),
        message: message.into(),
        error: error.into(),
    }
}

fn component_status(name: &str, condition: ComponentCondition) -> ComponentStatus {
    let mut status = ComponentStatus { conditions: vec![condition], ..Default::default() };
    status.metadata.name = name.to_string();
    api_types::Resource::set_type_meta(&mut status);
    status
}

fn to_json<S: serde::Serialize>(value: &S) -> Result<Value, Status> {
    serde_json::to_value(value).map_err(Status::internal_error)
}

#[async_trait]
impl RestResource for ComponentStatuses {
    fn info(&self) -> &ResourceInfo {
        &self.info
    }

    /// Upstream answers an unknown name with this internal error, not a 404.
    async fn get(
        &self,
        _: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        _: &GetOptions,
    ) -> Result<Value, Status> {
        if subresource.is_some() {
            return Err(not_served(&self.info, "get"));
        }
        let Some(component) = self.components.iter().find(|component| component.name == name)
        else {
            return Err(Status::internal_error(format!("Component not found: {name}")));
        };
        to_json(&status_of(component).await)
    }

    async fn list(&self, _: Option<&str>, _: &ListOptions) -> Result<Value, Status> {
        to_json(&List::new(self.statuses().await, ListMeta::default()))
    }

    fn table(&self, objects: &[Value], list_meta: Option<Value>) -> Result<Table, Status> {
        let statuses = objects
            .iter()
            .map(|object| serde_json::from_value::<ComponentStatus>(object.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Status::internal_error)?;
        let metadata = match list_meta {
            Some(meta) => serde_json::from_value(meta).map_err(Status::internal_error)?,
            None => ListMeta::default(),
        };
        let rows = statuses
            .iter()
            .map(|status| {
                let object = to_json(&PartialObjectMetadata::of(status))?;
                Ok(TableRow { cells: status.table_cells(), conditions: Vec::new(), object })
            })
            .collect::<Result<Vec<_>, Status>>()?;
        Ok(Table::new(ComponentStatus::table_columns(), rows, metadata))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::embedded::{EmbeddedOptions, EmbeddedStorage};

    #[test]
    fn etcd_health_bodies() {
        assert_eq!(etcd_health(r#"{"health":"true","reason":""}"#), Ok(()));
        assert_eq!(
            etcd_health(r#"{"health":"false","reason":"RAFT NO LEADER"}"#),
            Err("Unhealthy status: false".to_string())
        );
        assert!(etcd_health("not json").is_err());
    }

    #[test]
    fn verdicts_become_conditions() {
        let healthy = verdict_condition(Verdict::Success("ok".into()));
        assert_eq!((healthy.status.as_str(), healthy.message.as_str()), ("True", "ok"));
        let refused = verdict_condition(Verdict::Failure("Get \"x\": refused".into()));
        assert_eq!((refused.status.as_str(), refused.error.as_str()), ("False", ""));
        assert_eq!(refused.message, "Get \"x\": refused");
        assert_eq!(verdict_condition(Verdict::Warning("moved".into())).status, "Unknown");
    }

    #[tokio::test]
    async fn the_flags_choose_the_storage_entries() {
        let parse = |args: &[&str]| {
            let mut argv = vec!["kube-apiserver"];
            argv.extend_from_slice(args);
            crate::options::Options::try_parse_args(argv).unwrap().storage
        };
        let names = |statuses: &ComponentStatuses| {
            statuses.components.iter().map(|c| c.name.clone()).collect::<Vec<_>>()
        };
        let dir = tempfile::tempdir().unwrap();
        let options = EmbeddedOptions { compaction_interval: None, ..Default::default() };
        let storage: Arc<dyn Storage> =
            Arc::new(EmbeddedStorage::open(dir.path(), options).await.unwrap());
        let etcd = parse(&["--etcd-servers=http://10.0.0.1:2379,http://10.0.0.2:2379/"]);
        let statuses = ComponentStatuses::for_control_plane(&etcd, Arc::clone(&storage));
        assert_eq!(names(&statuses), ["scheduler", "controller-manager", "etcd-0", "etcd-1"]);
        match &statuses.components[3].check {
            HealthCheck::Etcd { url, .. } => assert_eq!(url, "http://10.0.0.2:2379/health"),
            _ => panic!("etcd members are probed at /health"),
        }
        let embedded = ComponentStatuses::for_control_plane(&parse(&[]), storage);
        assert_eq!(names(&embedded), ["scheduler", "controller-manager", "storage"]);
    }
}
