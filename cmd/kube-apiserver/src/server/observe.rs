//! What every request leaves behind: one log line and upstream's request metrics
//! (`apiserver_request_total`, `apiserver_request_duration_seconds`), so existing dashboards
//! and alerts work unchanged.

use super::router::{ResourcePath, Verb};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use std::time::Instant;

/// The `component` label upstream gives requests served by the apiserver itself.
const COMPONENT: &str = "apiserver";

/// Upstream's latency buckets for `apiserver_request_duration_seconds`.
const DURATION_BUCKETS: [f64; 23] = [
    0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0,
    10.0, 15.0, 20.0, 30.0, 45.0, 60.0,
];

/// The request metrics, registered once in the component's registry.
#[derive(Clone)]
pub struct RequestMetrics {
    total: IntCounterVec,
    duration: HistogramVec,
}

impl RequestMetrics {
    /// Creates the metrics and registers them in `registry` (served at `/metrics`).
    pub fn register(registry: &Registry) -> prometheus::Result<Self> {
        let total = IntCounterVec::new(
            Opts::new(
                "apiserver_request_total",
                "Counter of apiserver requests broken out for each verb, dry run value, group, \
                 version, resource, scope, component, and HTTP response code.",
            ),
            &[
                "verb",
                "dry_run",
                "group",
                "version",
                "resource",
                "subresource",
                "scope",
                "component",
                "code",
            ],
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "apiserver_request_duration_seconds",
                "Response latency distribution in seconds for each verb, dry run value, group, \
                 version, resource, subresource, scope and component.",
            )
            .buckets(DURATION_BUCKETS.to_vec()),
            &[
                "verb",
                "dry_run",
                "group",
                "version",
                "resource",
                "subresource",
                "scope",
                "component",
            ],
        )?;
        registry.register(Box::new(total.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        Ok(RequestMetrics { total, duration })
    }
}

/// What the metrics and the log line say about one request, gathered as it is understood.
#[derive(Clone, Debug, Default)]
pub struct RequestLabels {
    /// Upstream's reported verb: `GET`, `LIST`, `WATCH`, `POST`, `PUT`, `PATCH`, `APPLY`,
    /// `DELETE`, `DELETECOLLECTION`, `CONNECT`, or the HTTP method for non-resource paths.
    pub verb: String,
    /// `All` for dry-run requests, empty otherwise.
    pub dry_run: String,
    pub group: String,
    pub version: String,
    pub resource: String,
    pub subresource: String,
    /// `resource`, `namespace`, `cluster`, or empty for non-resource paths.
    pub scope: String,
}

impl RequestLabels {
    /// Labels of a request that names no resource (discovery, health, unknown paths).
    pub fn non_resource(method: &str) -> Self {
        RequestLabels { verb: method.to_string(), ..Default::default() }
    }

    /// Labels of a resource request; `apply` marks a server-side apply patch.
    pub fn resource(verb: Verb, path: &ResourcePath, apply: bool) -> Self {
        let verb = match verb {
            Verb::Get => "GET",
            Verb::List => "LIST",
            Verb::Watch => "WATCH",
            Verb::Create => "POST",
            Verb::Update => "PUT",
            Verb::Patch if apply => "APPLY",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
            Verb::DeleteCollection => "DELETECOLLECTION",
        };
        RequestLabels { verb: verb.to_string(), ..Self::for_path(path) }
    }

    /// Labels of a proxy request, which upstream reports as `CONNECT`.
    pub fn proxy(path: &ResourcePath) -> Self {
        RequestLabels { verb: "CONNECT".to_string(), ..Self::for_path(path) }
    }

    fn for_path(path: &ResourcePath) -> Self {
        RequestLabels {
            group: path.group.clone(),
            version: path.version.clone(),
            resource: path.resource.clone(),
            subresource: path.subresource.clone().unwrap_or_default(),
            scope: path.scope().to_string(),
            ..Default::default()
        }
    }
}

/// One request in progress: finished once its response is complete (for a watch, when the
/// stream ends), which writes the log line and the metrics.
pub struct RequestRecord {
    metrics: RequestMetrics,
    started: Instant,
    method: String,
    uri: String,
    user_agent: String,
    peer: String,
    pub labels: RequestLabels,
}

impl RequestRecord {
    /// Starts timing a request.
    pub fn start(
        metrics: &RequestMetrics,
        method: &str,
        uri: &str,
        user_agent: &str,
        peer: String,
    ) -> Self {
        RequestRecord {
            metrics: metrics.clone(),
            started: Instant::now(),
            method: method.to_string(),
            uri: uri.to_string(),
            user_agent: user_agent.to_string(),
            peer,
            labels: RequestLabels::non_resource(method),
        }
    }

    /// Records the outcome: counts the request under `code`, observes its latency and logs it
    /// (debug level for success, warn for server errors).
    pub fn finish(self, code: u16) {
        let elapsed = self.started.elapsed();
        let labels = &self.labels;
        let code_text = code.to_string();
        self.metrics
            .total
            .with_label_values(&[
                labels.verb.as_str(),
                &labels.dry_run,
                &labels.group,
                &labels.version,
                &labels.resource,
                &labels.subresource,
                &labels.scope,
                COMPONENT,
                &code_text,
            ])
            .inc();
        self.metrics
            .duration
            .with_label_values(&[
                labels.verb.as_str(),
                &labels.dry_run,
                &labels.group,
                &labels.version,
                &labels.resource,
                &labels.subresource,
                &labels.scope,
                COMPONENT,
            ])
            .observe(elapsed.as_secs_f64());
        let latency = format!("{elapsed:?}");
        if code >= 500 {
            tracing::warn!(
                verb = %labels.verb, method = %self.method, uri = %self.uri, code, latency,
                user_agent = %self.user_agent, peer = %self.peer, "HTTP"
            );
        } else {
            tracing::debug!(
                verb = %labels.verb, method = %self.method, uri = %self.uri, code, latency,
                user_agent = %self.user_agent, peer = %self.peer, "HTTP"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus::{Encoder, TextEncoder};

    fn rendered(registry: &Registry) -> String {
        let mut text = Vec::new();
        TextEncoder::new().encode(&registry.gather(), &mut text).unwrap();
        String::from_utf8(text).unwrap()
    }

    #[test]
    fn finished_requests_are_counted_with_upstream_labels() {
        let registry = Registry::new();
        let metrics = RequestMetrics::register(&registry).unwrap();
        let path = ResourcePath {
            version: "v1".into(),
            namespace: Some("default".into()),
            resource: "pods".into(),
            ..Default::default()
        };
        let mut record = RequestRecord::start(
            &metrics,
            "GET",
            "/api/v1/namespaces/default/pods",
            "kubectl",
            "peer".into(),
        );
        record.labels = RequestLabels::resource(Verb::List, &path, false);
        record.finish(200);
        let mut health = RequestRecord::start(&metrics, "GET", "/healthz", "probe", "peer".into());
        health.labels = RequestLabels::non_resource("GET");
        health.finish(200);

        let text = rendered(&registry);
        assert!(
            text.contains(r#"apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"} 1"#),
            "{text}"
        );
        assert!(text.contains("apiserver_request_duration_seconds_bucket"), "{text}");
        assert!(text.contains(r#"le="60""#), "{text}");
        assert!(text.contains(r#"verb="GET",version=""} 1"#), "{text}");
    }

    #[test]
    fn reported_verbs() {
        let object = ResourcePath { name: Some("x".into()), ..Default::default() };
        assert_eq!(RequestLabels::resource(Verb::Patch, &object, true).verb, "APPLY");
        assert_eq!(RequestLabels::resource(Verb::Patch, &object, false).verb, "PATCH");
        assert_eq!(RequestLabels::resource(Verb::Create, &object, false).verb, "POST");
        assert_eq!(RequestLabels::resource(Verb::Watch, &object, false).verb, "WATCH");
        assert_eq!(RequestLabels::proxy(&object).verb, "CONNECT");
        assert_eq!(RequestLabels::proxy(&object).scope, "resource");
    }

    #[test]
    fn registering_twice_in_one_registry_fails() {
        let registry = Registry::new();
        RequestMetrics::register(&registry).unwrap();
        assert!(RequestMetrics::register(&registry).is_err());
    }
}
