//! What a pod's subresources need from the pod: which container is meant, the node it runs on,
//! its address, and the kubelet path and query for `log`, `exec`, `attach` and `portforward`
//! (upstream's `LogLocation`, `ExecLocation`, `AttachLocation`, `PortForwardLocation`).

use api_types::api::core::v1::Pod;
use api_types::meta::v1::{QueryBuilder, QueryParams, Status, StatusCause, cause_type};
use std::net::IpAddr;

/// The annotation naming the container meant when a request names none.
pub const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// The container a request is for: the one it names (which must exist), else the pod's only
/// container, else the one the default-container annotation names. Otherwise a 400 listing the
/// choices, as upstream words it.
pub fn choose_container(pod: &Pod, requested: &str) -> Result<String, Status> {
    let name = &pod.metadata.name;
    let all_names = || {
        let spec = &pod.spec;
        spec.init_containers.iter().chain(&spec.containers).map(|container| container.name.as_str())
    };
    if !requested.is_empty() {
        if all_names().any(|known| known == requested) {
            return Ok(requested.to_string());
        }
        return Err(Status::bad_request(format!(
            "container {requested} is not valid for pod {name}"
        )));
    }
    if let [only] = pod.spec.containers.as_slice() {
        return Ok(only.name.clone());
    }
    let annotated = pod.metadata.annotations.get(DEFAULT_CONTAINER_ANNOTATION);
    if let Some(annotated) =
        annotated.filter(|annotated| all_names().any(|known| known == *annotated))
    {
        return Ok(annotated.clone());
    }
    if pod.spec.containers.is_empty() {
        return Err(Status::bad_request(format!(
            "a container name must be specified for pod {name}"
        )));
    }
    let choices: Vec<&str> = all_names().collect();
    Err(Status::bad_request(format!(
        "a container name must be specified for pod {name}, choose one of: [{}]",
        choices.join(" ")
    )))
}

/// The node a pod runs on; a pod not yet scheduled cannot be streamed from (400).
pub fn assigned_node(pod: &Pod) -> Result<&str, Status> {
    let node = pod.spec.node_name.as_str();
    if node.is_empty() {
        return Err(Status::bad_request(format!(
            "pod {} does not have a host assigned",
            pod.metadata.name
        )));
    }
    Ok(node)
}

/// The pod's primary IP. A pod without one (not running yet), or with an address that is not
/// global unicast (loopback, link-local, multicast, unspecified), is upstream's 400 `address not
/// allowed`: the proxy must not become a way into the apiserver's own host.
pub fn pod_address(pod: &Pod) -> Result<IpAddr, Status> {
    let status = &pod.status;
    let text = status.pod_ips.first().map(|ip| ip.ip.as_str()).unwrap_or(&status.pod_ip);
    text.parse::<IpAddr>()
        .ok()
        .filter(is_global_unicast)
        .ok_or_else(|| Status::bad_request("address not allowed"))
}

/// Go's `IP.IsGlobalUnicast`: private ranges count, loopback and link-local do not.
fn is_global_unicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_unspecified()
                || v4.is_loopback()
                || v4.is_multicast()
                || v4.is_link_local()
                || v4.is_broadcast())
        }
        IpAddr::V6(v6) => {
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || v6.is_unicast_link_local())
        }
    }
}

/// The port a pod proxy goes to when the request names none: the first declared container port.
pub fn first_container_port(pod: &Pod) -> Option<u16> {
    pod.spec
        .containers
        .iter()
        .find_map(|container| container.ports.first())
        .and_then(|port| u16::try_from(port.container_port).ok())
}

/// `PodLogOptions` from the query, checked as upstream validates them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// The container asked for; empty to let the server choose.
    pub container: String,
    /// Keep streaming as the container writes.
    pub follow: bool,
    /// The previous (terminated) instance of the container.
    pub previous: bool,
    /// Prefix each line with its RFC 3339 time.
    pub timestamps: bool,
    /// Only lines newer than this many seconds.
    pub since_seconds: Option<i64>,
    /// RFC 3339, normalized to UTC seconds.
    pub since_time: Option<String>,
    /// Only the last this many lines.
    pub tail_lines: Option<i64>,
    /// At most this many bytes.
    pub limit_bytes: Option<i64>,
}

impl LogOptions {
    /// Reads and validates the options; a malformed number is a 400, an out-of-range one a 422
    /// naming the field.
    pub fn from_params(params: &QueryParams, pod_name: &str) -> Result<Self, Status> {
        let number = |name: &str| {
            params.optional_int64(name).map_err(|error| Status::bad_request(error.to_string()))
        };
        let since_time = match params.first("sinceTime").filter(|text| !text.is_empty()) {
            Some(text) => {
                let parsed = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
                    Status::bad_request(format!("invalid value for sinceTime: {text:?}"))
                })?;
                let utc = parsed.with_timezone(&chrono::Utc);
                Some(utc.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            }
            None => None,
        };
        let options = LogOptions {
            container: params.string("container"),
            follow: params.bool("follow"),
            previous: params.bool("previous"),
            timestamps: params.bool("timestamps"),
            since_seconds: number("sinceSeconds")?,
            since_time,
            tail_lines: number("tailLines")?,
            limit_bytes: number("limitBytes")?,
        };
        options.validate(pod_name)?;
        Ok(options)
    }

    fn validate(&self, pod_name: &str) -> Result<(), Status> {
        let mut causes = Vec::new();
        let mut check = |field: &str, value: Option<i64>, minimum: i64, rule: &str| {
            if let Some(value) = value.filter(|value| *value < minimum) {
                let message = format!("Invalid value: {value}: {rule}");
                causes.push(StatusCause::new(cause_type::FIELD_VALUE_INVALID, field, &message));
            }
        };
        check("tailLines", self.tail_lines, 0, "must be greater than or equal to 0");
        check("limitBytes", self.limit_bytes, 1, "must be greater than 0");
        check("sinceSeconds", self.since_seconds, 1, "must be greater than 0");
        if self.since_seconds.is_some() && self.since_time.is_some() {
            causes.push(StatusCause::new(
                cause_type::FIELD_VALUE_FORBIDDEN,
                "",
                "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
            ));
        }
        if causes.is_empty() {
            return Ok(());
        }
        Err(Status::invalid("", "PodLogOptions", pod_name, causes))
    }

    /// The kubelet's query for these options.
    pub fn kubelet_query(&self) -> String {
        let mut query = QueryBuilder::default();
        query
            .bool("follow", self.follow)
            .bool("previous", self.previous)
            .bool("timestamps", self.timestamps)
            .optional_int64("sinceSeconds", self.since_seconds)
            .optional_string("sinceTime", self.since_time.as_deref())
            .optional_int64("tailLines", self.tail_lines)
            .optional_int64("limitBytes", self.limit_bytes);
        query.finish()
    }
}

/// `PodExecOptions`/`PodAttachOptions` from the query, as the kubelet's query: the streams as
/// `1`, and for exec the command, one `command` parameter per word.
pub fn stream_query(params: &QueryParams, with_command: bool) -> String {
    let mut query = QueryBuilder::default();
    for stream in ["stdin", "stdout", "stderr", "tty"] {
        if params.bool(stream) {
            query.push(stream, "1");
        }
    }
    if with_command {
        for word in params.all("command") {
            query.push("command", word);
        }
    }
    query.finish()
}

/// `PodPortForwardOptions` from the query (`ports`, repeated), as the kubelet's `port` list.
pub fn port_forward_query(params: &QueryParams) -> Result<String, Status> {
    let mut ports = Vec::new();
    for text in params.all("ports") {
        let port: u16 = text
            .parse()
            .ok()
            .filter(|port| *port > 0)
            .ok_or_else(|| Status::bad_request(format!("invalid port {text:?}")))?;
        ports.push(port.to_string());
    }
    let mut query = QueryBuilder::default();
    if !ports.is_empty() {
        query.push("port", ports.join(","));
    }
    Ok(query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(value: serde_json::Value) -> Pod {
        serde_json::from_value(value).unwrap()
    }

    fn params(query: &str) -> QueryParams {
        QueryParams::parse(query).unwrap()
    }

    #[test]
    fn containers_are_chosen_as_upstream() {
        let single = pod(json!({"metadata": {"name": "web"},
            "spec": {"containers": [{"name": "app"}]}}));
        assert_eq!(choose_container(&single, "").unwrap(), "app");
        assert_eq!(choose_container(&single, "app").unwrap(), "app");
        let unknown = choose_container(&single, "db").unwrap_err();
        assert_eq!(
            (unknown.code, unknown.message.as_str()),
            (400, "container db is not valid for pod web")
        );

        let two = json!({"metadata": {"name": "web"},
            "spec": {"initContainers": [{"name": "setup"}],
                     "containers": [{"name": "a"}, {"name": "b"}]}});
        let status = choose_container(&pod(two.clone()), "").unwrap_err();
        assert_eq!(status.code, 400);
        assert_eq!(
            status.message,
            "a container name must be specified for pod web, choose one of: [setup a b]"
        );
        assert_eq!(choose_container(&pod(two.clone()), "setup").unwrap(), "setup");
        let mut annotated = two;
        annotated["metadata"]["annotations"] = json!({DEFAULT_CONTAINER_ANNOTATION: "b"});
        assert_eq!(choose_container(&pod(annotated), "").unwrap(), "b");
    }

    #[test]
    fn scheduling_and_addresses() {
        let pending = pod(json!({"metadata": {"name": "web"}}));
        let status = assigned_node(&pending).unwrap_err();
        assert_eq!(
            (status.code, status.message.as_str()),
            (400, "pod web does not have a host assigned")
        );
        assert_eq!(pod_address(&pending).unwrap_err().message, "address not allowed");
        let running = pod(json!({"spec": {"nodeName": "n1"},
            "status": {"podIP": "10.1.2.3", "podIPs": [{"ip": "10.1.2.3"}]}}));
        assert_eq!(assigned_node(&running).unwrap(), "n1");
        assert_eq!(pod_address(&running).unwrap().to_string(), "10.1.2.3");
        for refused in ["169.254.1.1", "127.0.0.1", "::1", "224.0.0.1", "0.0.0.0"] {
            let refused = pod(json!({"status": {"podIP": refused}}));
            assert!(pod_address(&refused).is_err(), "{:?}", refused.status.pod_ip);
        }
        assert!(pod_address(&pod(json!({"status": {"podIP": "192.168.1.9"}}))).is_ok());
    }

    #[test]
    fn log_options_become_the_kubelets_query() {
        let options = LogOptions::from_params(
            &params("follow=true&tailLines=10&timestamps=1&container=app&limitBytes=500"),
            "web",
        )
        .unwrap();
        assert_eq!(options.container, "app");
        assert_eq!(
            options.kubelet_query(),
            "follow=true&limitBytes=500&tailLines=10&timestamps=true"
        );
        let since =
            LogOptions::from_params(&params("sinceTime=2024-05-01T10:00:00%2B02:00"), "web")
                .unwrap();
        assert_eq!(since.kubelet_query(), "sinceTime=2024-05-01T08%3A00%3A00Z");

        let invalid = LogOptions::from_params(&params("tailLines=-1"), "web").unwrap_err();
        assert_eq!(invalid.code, 422);
        assert_eq!(
            invalid.message,
            "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(LogOptions::from_params(&params("tailLines=x"), "web").unwrap_err().code, 400);
        assert_eq!(
            LogOptions::from_params(&params("sinceTime=yesterday"), "web").unwrap_err().code,
            400
        );
    }

    #[test]
    fn stream_queries() {
        let query =
            params("command=sh&command=-c&command=echo+hi&stdin=true&stdout=true&tty=false");
        assert_eq!(
            stream_query(&query, true),
            "command=sh&command=-c&command=echo+hi&stdin=1&stdout=1"
        );
        assert_eq!(stream_query(&query, false), "stdin=1&stdout=1");
        assert_eq!(
            port_forward_query(&params("ports=8080&ports=9090")).unwrap(),
            "port=8080%2C9090"
        );
        assert_eq!(port_forward_query(&params("ports=0")).unwrap_err().code, 400);
    }
}
