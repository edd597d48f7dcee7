//! The metrics the health server contributes on its own: what build is running and how its
//! health checks fare, under upstream's metric names so existing dashboards find them.
//!
//! They live in a private registry, merged with the component's registry at scrape time, so a
//! component can create several servers over one registry without name clashes.

use prometheus::{Encoder, GaugeVec, IntCounterVec, Opts, Registry, TEXT_FORMAT, TextEncoder};

use crate::version::VersionInfo;

/// Upstream's build-info metric: constant 1, labelled with the version fields.
const BUILD_INFO: &str = "kubernetes_build_info";
/// Upstream's per-check health gauge: 1 healthy, 0 not.
const HEALTHCHECK: &str = "kubernetes_healthcheck";
/// Upstream's per-check outcome counter.
const HEALTHCHECKS_TOTAL: &str = "kubernetes_healthchecks_total";

/// Metrics owned by one health server.
#[derive(Clone)]
pub(crate) struct OwnMetrics {
    registry: Registry,
    health: GaugeVec,
    health_outcomes: IntCounterVec,
}

impl OwnMetrics {
    /// Registers the build-info and health-check metrics in a fresh registry.
    pub(crate) fn new(version: &VersionInfo) -> Self {
        let registry = Registry::new();
        let build_info = GaugeVec::new(
            Opts::new(
                BUILD_INFO,
                "Constant 1, labelled with the version and platform of the running build.",
            ),
            &[
                "major",
                "minor",
                "gitVersion",
                "gitCommit",
                "gitTreeState",
                "buildDate",
                "goVersion",
                "compiler",
                "platform",
            ],
        )
        .expect("build-info metric options are valid");
        build_info
            .with_label_values(&[
                &version.major,
                &version.minor,
                &version.git_version,
                &version.git_commit,
                &version.git_tree_state,
                &version.build_date,
                &version.go_version,
                &version.compiler,
                &version.platform,
            ])
            .set(1.0);
        let health = GaugeVec::new(
            Opts::new(
                HEALTHCHECK,
                "Result of the last run of a health check: 1 healthy, 0 unhealthy.",
            ),
            &["name", "type"],
        )
        .expect("health gauge options are valid");
        let health_outcomes = IntCounterVec::new(
            Opts::new(HEALTHCHECKS_TOTAL, "Health check runs by outcome."),
            &["name", "status", "type"],
        )
        .expect("health counter options are valid");
        for collector in [
            Box::new(build_info) as Box<dyn prometheus::core::Collector>,
            Box::new(health.clone()),
            Box::new(health_outcomes.clone()),
        ] {
            registry.register(collector).expect("a fresh registry holds no clashing metric");
        }
        OwnMetrics { registry, health, health_outcomes }
    }

    /// Records one run of the check `name` for the probe `probe` ("healthz", "livez", "readyz").
    pub(crate) fn record_check(&self, name: &str, probe: &str, healthy: bool) {
        self.health.with_label_values(&[name, probe]).set(if healthy { 1.0 } else { 0.0 });
        let status = if healthy { "success" } else { "error" };
        self.health_outcomes.with_label_values(&[name, status, probe]).inc();
    }

    /// Renders our metrics and the component's in the Prometheus text format; returns the
    /// content type to answer with and the body.
    pub(crate) fn render(
        &self,
        component: &Registry,
    ) -> Result<(&'static str, Vec<u8>), prometheus::Error> {
        let mut families = self.registry.gather();
        families.extend(component.gather());
        families.sort_by(|a, b| a.name().cmp(b.name()));
        let mut body = Vec::new();
        TextEncoder::new().encode(&families, &mut body)?;
        Ok((TEXT_FORMAT, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_text(metrics: &OwnMetrics, component: &Registry) -> String {
        let (content_type, body) = metrics.render(component).unwrap();
        assert!(content_type.starts_with("text/plain"), "{content_type}");
        String::from_utf8(body).unwrap()
    }

    #[test]
    fn build_info_carries_the_version_labels() {
        let version = VersionInfo::current();
        let text = render_text(&OwnMetrics::new(&version), &Registry::new());
        let line =
            text.lines().find(|line| line.starts_with("kubernetes_build_info{")).expect(&text);
        assert!(line.ends_with("} 1"), "{line}");
        assert!(line.contains(&format!("gitVersion=\"{}\"", version.git_version)), "{line}");
        assert!(line.contains("compiler=\"rustc\""), "{line}");
    }

    #[test]
    fn check_outcomes_are_counted() {
        let metrics = OwnMetrics::new(&VersionInfo::current());
        metrics.record_check("etcd", "healthz", true);
        metrics.record_check("etcd", "healthz", false);
        let text = render_text(&metrics, &Registry::new());
        assert!(text.contains(r#"kubernetes_healthcheck{name="etcd",type="healthz"} 0"#), "{text}");
        assert!(
            text.contains(
                r#"kubernetes_healthchecks_total{name="etcd",status="error",type="healthz"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"kubernetes_healthchecks_total{name="etcd",status="success",type="healthz"} 1"#
            ),
            "{text}"
        );
    }

    #[test]
    fn two_servers_can_share_one_component_registry() {
        let component = Registry::new();
        let counter = prometheus::IntCounter::new("widgets_total", "Widgets made.").unwrap();
        component.register(Box::new(counter.clone())).unwrap();
        counter.inc();
        let version = VersionInfo::current();
        for metrics in [OwnMetrics::new(&version), OwnMetrics::new(&version)] {
            let text = render_text(&metrics, &component);
            assert!(text.contains("widgets_total 1"), "{text}");
            assert!(text.contains("kubernetes_build_info{"), "{text}");
        }
    }
}
