//! What every controller is started with: the shared client and informers (one watch per kind
//! for the whole process), the flags, a way to make event recorders, metrics and the shutdown
//! signal.

use crate::options::Options;
use api_types::api::core::v1::EventSource;
use client::informer::InformerFactory;
use client::workqueue::{QueueMetrics, WorkQueue, default_rate_limiter};
use client::{Client, EventRecorder};
use component_base::ShutdownToken;
use std::sync::Arc;

/// Shared by the controllers of one controller-manager process.
#[derive(Clone)]
pub struct ControllerContext {
    pub client: Client,
    pub informers: InformerFactory,
    pub options: Arc<Options>,
    pub shutdown: ShutdownToken,
    queue_metrics: Option<QueueMetrics>,
}

impl ControllerContext {
    /// A context over `client`; informers re-deliver everything every `--min-resync-period`.
    pub fn new(
        client: Client,
        options: Arc<Options>,
        shutdown: ShutdownToken,
        metrics: &prometheus::Registry,
    ) -> Self {
        let informers = InformerFactory::new(client.clone(), shutdown.clone())
            .with_resync(options.periods.min_resync_period);
        let queue_metrics = match QueueMetrics::register(metrics) {
            Ok(queue_metrics) => Some(queue_metrics),
            Err(error) => {
                tracing::warn!(%error, "work queue metrics are not exported");
                None
            }
        };
        ControllerContext { client, informers, options, shutdown, queue_metrics }
    }

    /// An event recorder writing as `component` (upstream's per-controller source names:
    /// `replication-controller`, `endpoint-controller`, ...).
    pub fn recorder(&self, component: &str) -> EventRecorder {
        EventRecorder::new(
            self.client.clone(),
            EventSource { component: component.to_string(), host: String::new() },
        )
    }

    /// A work queue of object keys named `name` (the name labels its metrics).
    pub fn queue(&self, name: &str) -> WorkQueue<String> {
        match &self.queue_metrics {
            Some(metrics) => WorkQueue::with_metrics(name, default_rate_limiter(), metrics),
            None => WorkQueue::new(default_rate_limiter()),
        }
    }
}
